package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is every style the console draws with, derived from one Palette.
type Styles struct {
	Palette Palette

	// Text roles.
	Text, Muted, Bold, Accent lipgloss.Style
	Good, Warn, Bad, Info     lipgloss.Style

	// Pane chrome: a title bar per pane, brighter when the pane has focus.
	Title, TitleFocused lipgloss.Style
	Separator           lipgloss.Style
	// Selected is the cursor row in lists.
	Selected lipgloss.Style

	// Header badges for the mode.
	ModeTraining, ModeLive, ModeReadOnly lipgloss.Style

	// Log pane.
	LogTime, LogSource, LogStep lipgloss.Style
	LogError, LogWarn, LogInfo  lipgloss.Style
	LogProgress, LogConsole     lipgloss.Style
	LogStatement                lipgloss.Style
	Match, CurrentMatch         lipgloss.Style

	// Dialogs: the step preview and confirmations.
	Dialog, DialogTitle, Code, Danger, Input lipgloss.Style

	// Help overlay.
	HelpKey, HelpDesc, HelpDisabled, HelpSection lipgloss.Style

	// P holds the text roles as Paints, for panes that draw many short runs per frame.
	P Paints
}

// NewStyles builds the styles of a palette. With the no-color palette every style is colourless and the
// distinctions that matter (focus, selection, errors, search hits) survive as bold, underline and reverse video.
func NewStyles(p Palette) Styles {
	base := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if c == nil {
			return base
		}
		return base.Foreground(c)
	}
	bar := func(bg, f color.Color) lipgloss.Style {
		if bg == nil {
			return base.Reverse(true)
		}
		return base.Background(bg).Foreground(f)
	}
	s := Styles{Palette: p}
	s.Text = fg(p.Text)
	s.Muted = fg(p.Muted)
	if p.Muted == nil {
		s.Muted = base.Faint(true)
	}
	s.Bold = fg(p.Text).Bold(true)
	s.Accent = fg(p.Accent).Bold(true)
	s.Good = fg(p.Good)
	s.Warn = fg(p.Warn).Bold(true)
	s.Bad = fg(p.Bad).Bold(true)
	s.Info = fg(p.Info)

	s.Title = bar(p.TitleBg, p.TitleFg)
	if p.TitleBg == nil {
		s.Title = base.Bold(true).Underline(true)
	}
	s.TitleFocused = bar(p.Accent, p.BadgeFg).Bold(true)
	if p.Accent == nil {
		s.TitleFocused = base.Reverse(true).Bold(true)
	}
	s.Separator = fg(p.Muted)
	s.Selected = bar(p.SelectBg, p.SelectFg)

	s.ModeTraining = bar(p.TrainingBg, p.BadgeFg).Bold(true).Padding(0, 1)
	s.ModeLive = bar(p.LiveBg, p.BadgeFg).Bold(true).Padding(0, 1)
	s.ModeReadOnly = bar(p.ReadOnlyBg, p.BadgeFg).Bold(true).Padding(0, 1)

	s.LogTime = s.Muted
	s.LogSource = fg(p.Info)
	s.LogStep = fg(p.Accent)
	s.LogError = s.Bad
	s.LogWarn = s.Warn
	s.LogInfo = s.Text
	s.LogProgress = s.Good
	s.LogConsole = s.Accent
	s.LogStatement = s.Muted
	s.Match = bar(p.MatchBg, p.MatchFg)
	if p.MatchBg == nil {
		s.Match = base.Underline(true)
	}
	s.CurrentMatch = s.Match.Bold(true)
	if p.MatchBg == nil {
		s.CurrentMatch = base.Reverse(true)
	}

	s.Dialog = base.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if p.Accent != nil {
		s.Dialog = s.Dialog.BorderForeground(p.Accent)
	}
	s.DialogTitle = s.Accent
	s.Code = fg(p.Text)
	s.Danger = s.Bad
	s.Input = s.Bold.Underline(true)

	s.HelpKey = s.Accent
	s.HelpDesc = s.Text
	s.HelpDisabled = s.Muted.Strikethrough(true)
	s.HelpSection = s.Bold.Underline(true)
	s.P = newPaints(s)
	return s
}

// Package themes holds every colour the console uses. Components never call lipgloss.Color themselves: they take
// a Styles value built here, so a theme switch (or NO_COLOR) changes the whole screen at once and no state is ever
// distinguishable by colour alone (each component pairs a style with a glyph or a word).
package themes

import (
	"fmt"
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// Palette is a theme's colours by role. A nil colour means "terminal default".
type Palette struct {
	Name string
	// Text is ordinary text; Muted is secondary text (ages, units, labels).
	Text, Muted color.Color
	// Accent marks focus and titles.
	Accent color.Color
	// Good, Warn, Bad and Info colour states (always paired with a glyph or word).
	Good, Warn, Bad, Info color.Color
	// TitleBg/TitleFg paint pane title bars; SelectBg/SelectFg the selected row.
	TitleBg, TitleFg, SelectBg, SelectFg color.Color
	// Match highlights search hits in the log.
	MatchBg, MatchFg color.Color
	// Mode badges: training, live, read-only.
	TrainingBg, LiveBg, ReadOnlyBg, BadgeFg color.Color
}

// Names lists the themes in the order --help shows them.
func Names() []string { return []string{"dark", "light", "high-contrast", "no-color"} }

// Lookup returns the palette of a theme by name.
func Lookup(name string) (Palette, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "dark":
		return dark, nil
	case "light":
		return light, nil
	case "high-contrast":
		return highContrast, nil
	case "no-color", "nocolor", "none":
		return noColor, nil
	}
	return Palette{}, fmt.Errorf("unknown theme %q (choose one of %s)", name, strings.Join(Names(), ", "))
}

// Choose picks the theme from the --theme flag and the NO_COLOR environment variable. Any non-empty NO_COLOR wins
// over a colour theme (the convention at no-color.org), but an explicit high-contrast choice keeps its
// attributes without colour.
func Choose(flag, noColorEnv string) (Palette, error) {
	p, err := Lookup(flag)
	if err != nil {
		return Palette{}, err
	}
	if noColorEnv != "" {
		return noColor, nil
	}
	return p, nil
}

// ANSI 256-colour indexes keep the themes readable on terminals without true colour and over SSH.
var (
	dark = Palette{
		Name: "dark", Text: lipgloss.Color("252"), Muted: lipgloss.Color("244"), Accent: lipgloss.Color("75"),
		Good: lipgloss.Color("78"), Warn: lipgloss.Color("214"), Bad: lipgloss.Color("203"), Info: lipgloss.Color("110"),
		TitleBg: lipgloss.Color("237"), TitleFg: lipgloss.Color("255"), SelectBg: lipgloss.Color("24"), SelectFg: lipgloss.Color("255"),
		MatchBg: lipgloss.Color("178"), MatchFg: lipgloss.Color("16"),
		TrainingBg: lipgloss.Color("99"), LiveBg: lipgloss.Color("160"), ReadOnlyBg: lipgloss.Color("30"), BadgeFg: lipgloss.Color("231"),
	}
	light = Palette{
		Name: "light", Text: lipgloss.Color("235"), Muted: lipgloss.Color("242"), Accent: lipgloss.Color("25"),
		Good: lipgloss.Color("28"), Warn: lipgloss.Color("130"), Bad: lipgloss.Color("160"), Info: lipgloss.Color("24"),
		TitleBg: lipgloss.Color("253"), TitleFg: lipgloss.Color("232"), SelectBg: lipgloss.Color("153"), SelectFg: lipgloss.Color("232"),
		MatchBg: lipgloss.Color("221"), MatchFg: lipgloss.Color("232"),
		TrainingBg: lipgloss.Color("55"), LiveBg: lipgloss.Color("124"), ReadOnlyBg: lipgloss.Color("23"), BadgeFg: lipgloss.Color("231"),
	}
	highContrast = Palette{
		Name: "high-contrast", Text: lipgloss.Color("15"), Muted: lipgloss.Color("7"), Accent: lipgloss.Color("14"),
		Good: lipgloss.Color("10"), Warn: lipgloss.Color("11"), Bad: lipgloss.Color("9"), Info: lipgloss.Color("14"),
		TitleBg: lipgloss.Color("15"), TitleFg: lipgloss.Color("0"), SelectBg: lipgloss.Color("11"), SelectFg: lipgloss.Color("0"),
		MatchBg: lipgloss.Color("13"), MatchFg: lipgloss.Color("0"),
		TrainingBg: lipgloss.Color("13"), LiveBg: lipgloss.Color("9"), ReadOnlyBg: lipgloss.Color("14"), BadgeFg: lipgloss.Color("0"),
	}
	// noColor leaves every colour nil: Styles then relies on bold, underline and reverse video.
	noColor = Palette{Name: "no-color"}
)

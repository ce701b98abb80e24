package wsman

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
)

// maxCommandLine is cmd.exe's limit: the shell runs commands through cmd.exe (WINRS_SKIP_CMD_SHELL=FALSE), which
// refuses longer lines. Long scripts have to come on stdin.
const maxCommandLine = 8191

// invocation is what a command line asks for.
type invocation struct {
	// script is the PowerShell to run (empty with stdin).
	script string
	// stdin is true for "-Command -": the script arrives on standard input.
	stdin bool
	// problem is what the command prints instead of running, with exit its exit code.
	problem string
	exit    int
}

// psParam is a powershell.exe parameter: its name, the shortest prefix it accepts and whether it takes a value.
type psParam struct {
	name  string
	min   int
	value bool
}

// psParams are the powershell.exe 5.1 parameters, matched by prefix as powershell.exe does.
var psParams = []psParam{
	{"command", 1, true}, {"encodedcommand", 1, true}, {"executionpolicy", 2, true},
	{"noprofile", 3, false}, {"noninteractive", 4, false}, {"nologo", 3, false}, {"noexit", 3, false},
	{"inputformat", 2, true}, {"outputformat", 1, true}, {"windowstyle", 1, true}, {"version", 1, true},
	{"file", 1, true}, {"sta", 2, false}, {"mta", 1, false}, {"psconsolefile", 2, true},
	{"configurationname", 2, true},
}

// parseCommandLine reads a command line the way cmd.exe and powershell.exe would for the forms a client sends:
// powershell.exe [switches] -EncodedCommand <base64 of UTF-16LE> and powershell.exe [switches] -Command -.
func parseCommandLine(line string) invocation {
	if len(line) > maxCommandLine {
		return invocation{problem: "The command line is too long.", exit: 1}
	}
	args := splitArgs(line)
	if len(args) == 0 {
		return invocation{problem: "The syntax of the command is incorrect.", exit: 1}
	}
	prog := args[0]
	if i := strings.LastIndexAny(prog, `\/`); i >= 0 {
		prog = prog[i+1:]
	}
	if p := strings.ToLower(prog); p != "powershell" && p != "powershell.exe" {
		return invocation{problem: "'" + args[0] + "' is not recognized as an internal or external command,\n" +
			"operable program or batch file.", exit: 9009}
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || (a[0] != '-' && a[0] != '/') {
			return invocation{problem: unknownTerm(a), exit: 1}
		}
		p, ok := lookupParam(strings.ToLower(a[1:]))
		if !ok {
			return invocation{problem: unknownTerm(a), exit: 1}
		}
		if !p.value {
			continue
		}
		if i+1 >= len(args) {
			return invocation{problem: "Missing argument for parameter " + p.name + ".", exit: 1}
		}
		switch p.name {
		case "command":
			text := strings.Join(args[i+1:], " ")
			if text == "-" {
				return invocation{stdin: true}
			}
			return invocation{script: text}
		case "encodedcommand":
			script, ok := decodeEncoded(args[i+1])
			if !ok {
				return invocation{problem: "Cannot process the command because the value specified with -EncodedCommand " +
					"is not properly encoded. The value must be Base64 encoded.", exit: 1}
			}
			return invocation{script: script}
		case "file":
			return invocation{problem: "The simulated host runs no script files: -File " + args[i+1], exit: 1}
		}
		i++
	}
	return invocation{problem: "powershell.exe was started without a command; the shell has no console to " +
		"run it interactively.", exit: 1}
}

// lookupParam finds the parameter a (lower-case, without the dash) abbreviates.
func lookupParam(a string) (psParam, bool) {
	if a == "ec" || a == "enc" {
		return psParams[1], true
	}
	for _, p := range psParams {
		if len(a) >= p.min && strings.HasPrefix(p.name, a) {
			return p, true
		}
	}
	return psParam{}, false
}

// unknownTerm is powershell.exe's complaint about an argument it takes for a command.
func unknownTerm(a string) string {
	return "The term '" + a + "' is not recognized as the name of a cmdlet, function, script file, or operable program."
}

// decodeEncoded decodes an -EncodedCommand value: base64 of UTF-16LE.
func decodeEncoded(s string) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(raw)%2 != 0 {
		return "", false
	}
	units := make([]uint16, len(raw)/2)
	for i := range units {
		units[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	return strings.ToValidUTF8(string(utf16.Decode(units)), "\uFFFD"), true
}

// splitArgs splits a command line at blanks outside double quotes, dropping the quotes (enough for the forms
// clients send; cmd.exe's full rules are not needed).
func splitArgs(line string) []string {
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			inArg = true
		case (r == ' ' || r == '\t' || r == '\r' || r == '\n') && !quoted:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

package pwsh

import (
	"fmt"
	"strings"
)

// Variables live in one scope: script blocks run by ForEach-Object and Where-Object share the caller's scope in
// PowerShell too, and a failback script has no functions to scope.

// actionPreferences are the values of the ActionPreference enum, in PowerShell's order.
var actionPreferences = []string{"SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend"}

// preferenceVars are the variables typed as ActionPreference.
var preferenceVars = map[string]bool{
	"erroractionpreference": true, "verbosepreference": true, "warningpreference": true,
	"debugpreference": true, "informationpreference": true, "progresspreference": true,
}

func (in *interp) initVars() {
	in.vars["erroractionpreference"] = "Continue"
	in.vars["verbosepreference"] = "SilentlyContinue"
	in.vars["warningpreference"] = "Continue"
	in.vars["debugpreference"] = "SilentlyContinue"
	in.vars["informationpreference"] = "SilentlyContinue"
	in.vars["progresspreference"] = "Continue"
	in.vars["confirmpreference"] = "High"
	in.vars["whatifpreference"] = false
	in.vars["formatenumerationlimit"] = int64(enumerationLimit)
}

// varKey normalises a variable name: case-insensitive, without the global:/script:/local:/private: scopes. ok is
// false for names in other drives ($env:TEMP), which this shell does not have.
func varKey(name string) (string, bool) {
	key := strings.ToLower(name)
	if i := strings.IndexByte(key, ':'); i >= 0 {
		switch key[:i] {
		case "global", "script", "local", "private", "variable":
			key = key[i+1:]
		default:
			return key, false
		}
	}
	return key, true
}

// getVar reads a variable; an unset one is $null.
func (in *interp) getVar(name string) Value {
	key, ok := varKey(name)
	if !ok {
		return nil
	}
	switch key {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	case "?":
		return in.lastOK
	case "error":
		return append([]Value{}, in.errs...)
	case "psitem":
		return in.vars["_"]
	}
	return in.vars[key]
}

// setVar assigns a variable without checks (loop variables, $_).
func (in *interp) setVar(name string, v Value) {
	if key, ok := varKey(name); ok {
		if key == "psitem" {
			key = "_"
		}
		in.vars[key] = v
	}
}

// assignVar assigns a variable from script code: constants refuse, preference variables must hold an
// ActionPreference name.
func (in *interp) assignVar(name string, v Value, ex extent) error {
	key, ok := varKey(name)
	switch {
	case !ok:
		return in.rtError(ex, "InvalidOperation", "DriveNotFound",
			"Cannot find drive. A drive with the name '%s' does not exist.", strings.SplitN(name, ":", 2)[0])
	case key == "null":
		return nil
	case key == "true" || key == "false" || key == "?":
		return in.rtError(ex, "WriteError", "VariableNotWritable",
			"Cannot overwrite variable %s because it is read-only or constant.", key)
	case preferenceVars[key]:
		pref, ok := parsePreference(v)
		if !ok {
			return in.rtError(ex, "MetadataError", "RuntimeException", "%s", preferenceMessage(v))
		}
		v = pref
	}
	in.setVar(name, v)
	return nil
}

// parsePreference converts a value to an ActionPreference name. Suspend exists only for workflows.
func parsePreference(v Value) (string, bool) {
	if n, isNum := v.(int64); isNum && n >= 0 && n < int64(len(actionPreferences))-1 {
		return actionPreferences[n], true
	}
	s := strings.TrimSpace(toStr(v))
	for _, p := range actionPreferences[:len(actionPreferences)-1] {
		if strings.EqualFold(p, s) {
			return p, true
		}
	}
	return "", false
}

// preferenceMessage is the conversion error for a value that is no ActionPreference.
func preferenceMessage(v Value) string {
	return fmt.Sprintf("Cannot convert value \"%s\" to type \"System.Management.Automation.ActionPreference\". "+
		"Error: \"Unable to match the identifier name %s to a valid enumerator name. Specify one of the following "+
		"enumerator names and try again:\r\n%s\"", toStr(v), toStr(v), strings.Join(actionPreferences, ", "))
}

// preference returns a preference variable's current value.
func (in *interp) preference(name string) string {
	v := in.vars[strings.ToLower(name)]
	for _, p := range actionPreferences {
		if s, ok := v.(string); ok && strings.EqualFold(p, s) {
			return p
		}
	}
	return "Continue"
}

// addError records an error in $Error, newest first, keeping the last 256 like PowerShell's $MaximumErrorCount.
func (in *interp) addError(rec *errorRecord) {
	in.errs = append([]Value{&errorValue{rec: rec}}, in.errs...)
	if len(in.errs) > 256 {
		in.errs = in.errs[:256]
	}
}

package config

import (
	"reflect"
	"strings"
)

// passwordKeys are keys someone might add to put a secret in the file. The file never holds one, and the message
// says where the secret goes instead.
var passwordKeys = map[string]bool{"password": true, "passwd": true, "pwd": true, "pass": true, "secret": true}

// unknownKeyMessage explains an unknown key and suggests what was probably meant.
func unknownKeyMessage(key []string) string {
	if len(key) == 0 {
		return "unknown key"
	}
	last := key[len(key)-1]
	if passwordKeys[strings.ToLower(last)] {
		return "a password cannot be written in the configuration file; use password_env, password_file or " +
			"password_prompt = true in an [auth.*] section"
	}
	siblings := schemaKeys(key[:len(key)-1])
	msg := "unknown key"
	if len(key) == 2 && key[0] == "instances" {
		msg = "unknown instance role; the roles are primary, primary_mirror, backup and backup_mirror"
	}
	if s := closest(last, siblings); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return msg
}

// schemaKeys lists the keys the file may hold in the table at path, found from the raw types' toml tags so the
// list cannot drift from the decoder's.
func schemaKeys(path []string) []string {
	t := reflect.TypeOf(rawConfig{})
	for _, part := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldByTag(t, part)
			if !ok {
				return nil
			}
			t = f.Type
		case reflect.Map:
			t = t.Elem()
		default:
			return nil
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("toml"); tag != "" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// fieldByTag finds the struct field whose toml tag is name.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("toml") == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// closest returns the candidate nearest to s when it is near enough to be a typo (case-insensitive edit distance
// of at most a third of the word, at least 1), or "".
func closest(s string, candidates []string) string {
	best, bestDist := "", -1
	limit := max(1, len(s)/3)
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c), limit)
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b (Levenshtein plus transposition of two
// adjacent letters, the commonest typo), giving up (returning limit+1) once it exceeds limit so a long unknown key
// costs little.
func editDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// abs is the absolute value of an int.
func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

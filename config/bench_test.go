package config

import "testing"

func BenchmarkParse(b *testing.B) {
	data := []byte(validDoc)
	for b.Loop() {
		if _, err := Parse(testFile, data); err != nil {
			b.Fatal(err)
		}
	}
}

package quote

import "testing"

func TestIdent(t *testing.T) {
	cases := map[string]string{
		"mgc":                    "[mgc]",
		"my]db":                  "[my]]db]",
		"]]":                     "[]]]]]",
		"a[b":                    "[a[b]",
		"x'y":                    "[x'y]",
		"채팅":                     "[채팅]",
		"":                       "[]",
		"mgc]; DROP DATABASE [x": "[mgc]]; DROP DATABASE [x]",
	}
	for in, want := range cases {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestString(t *testing.T) {
	cases := map[string]string{
		`\\fs01\pchatls\mgc.bak`: `N'\\fs01\pchatls\mgc.bak'`,
		`O'Brien`:                `N'O''Brien'`,
		`''`:                     `N''''''`,
		`경로\파일.bak`:              `N'경로\파일.bak'`,
		"":                       "N''",
		`x'; SHUTDOWN; --`:       `N'x''; SHUTDOWN; --'`,
	}
	for in, want := range cases {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

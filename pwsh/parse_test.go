package pwsh

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseAccepts(t *testing.T) {
	for _, s := range []string{
		"", "\n\n", "# only a comment", "<# block #>", ";;", "Get-Thing;Get-Other",
		"Get-Thing -Name:'x' -Flag -Confirm:$false positional 1 2.5 -5 \\\\server\\share",
		"Get-Thing @splat -Name @{a=1} -List a,b,c -Block { 'x' } -Paren (1+1) -Sub $(2) -Arr @(3)",
		"$x = Get-Thing | Where-Object { $_.A -eq 1 } | Select-Object -First 1",
		"if ($a) { } elseif ($b) { } else { }",
		"if ($a)\n{\n 'x'\n}\nelse\n{\n 'y'\n}",
		"foreach ($i in Get-Thing) { continue }",
		"try { } catch [System.Exception], [IO.IOException] { } finally { }",
		"exit", "exit 5", "return", "throw", "throw 'x'", "break", "continue label",
		"$a.b.c().d[0].e", "[math]::Round(1.5)", "[int[]]$x = 1,2", "$h['k'] = 1", "$h.k += 1",
		"@'\nhere\n'@", "@\"\n$x\n\"@", "\"$($x | ForEach-Object { \"$_\" })\"",
		"Get-Thing 2>&1 | Out-Null", "Get-Thing > $null", "$x *>$null",
		"$i++; $i--; ++$i; --$i", "-not $x", "!$x", "-split 'a b'", "-join $x", ",1",
		"Get-Thing `\n  -Name x `\n  -Other y",
		"$x = @{\n  a = 1\n  'b' = 2; c = 3\n}",
		"& $cmd -x; & { 'x' }; . { 'y' }",
		"Get-Thing -- -NotAParameter",
		"Set-Thing \u2013Identity \u2018x\u2019 \u2014Confirm:$false",
		"\u201cdouble\u201d",
		"$env:COMPUTERNAME; ${a b}; $global:x; $_; $?; $$; $^",
		"1..10 | % { $_ }",
		"1 -eq 1 -and 2 -ne 3 -or $false",
		"'{0}' -f (Get-Date)",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		script    string
		line, col int
		id        string
		message   string
	}{
		{"'abc", 1, 1, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '."},
		{"Write-Output \"abc", 1, 14, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: \"."},
		{"if ($x) {", 1, 9, "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition."},
		{"(1 + 2", 1, 7, "MissingEndParenthesisInExpression", "Missing closing ')' in expression."},
		{"$x = ", 1, 4, "ExpectedValueExpression", "You must provide a value expression on the right-hand side of the '=' operator."},
		{"1 -eq", 1, 6, "ExpectedValueExpression", "You must provide a value expression following the '-eq' operator."},
		{"Get-Thing |", 1, 11, "EmptyPipeElement", "An empty pipe element is not allowed."},
		{"Get-Thing | | x", 1, 11, "EmptyPipeElement", "An empty pipe element is not allowed."},
		{"Get-Thing | 'x'", 1, 13, "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline."},
		{"@{a=1; a=2}", 1, 8, "DuplicateKeyInHashLiteral", "Duplicate keys 'a' are not allowed in hash literals."},
		{"@{a 1}", 1, 5, "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal."},
		{"'x' = 1", 1, 1, "InvalidLeftHandSide", "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property."},
		{"while ($true) { }", 1, 1, "UnsupportedKeyword", "The 'while' keyword is not supported by this Management Shell."},
		{"function f { }", 1, 1, "UnsupportedKeyword", "The 'function' keyword is not supported by this Management Shell."},
		{"if $x { }", 1, 4, "MissingOpenParenthesisInIfStatement", "Missing '(' after 'if' in if statement."},
		{"foreach ($i 1..2) { }", 1, 13, "MissingInInForeach", "Missing 'in' after variable in foreach loop."},
		{"try { }", 1, 7, "MissingCatchOrFinally", "The Try statement is missing its Catch or Finally block."},
		{"Get-Thing a & b", 1, 13, "AmpersandNotAllowed", "The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks (\"&\") to pass it as part of a string."},
		{"$x = 1 2", 1, 8, "UnexpectedToken", "Unexpected token '2' in expression or statement."},
		{"'a'\n  )", 2, 3, "UnexpectedToken", "Unexpected token ')' in expression or statement."},
		{"<# open", 1, 1, "MissingTerminatorMultiLineComment", "Missing the terminator '#>' for the block comment."},
		{"$", 1, 1, "InvalidVariableReference", "Variable reference is not valid. '$' was not followed by a valid variable name character. Consider using ${} to delimit the name."},
		{"@x", 1, 1, "SplattingNotPermitted", "The splatting operator '@' cannot be used to reference variables in an expression."},
		{"[int", 1, 1, "EndSquareBracketExpectedAtEndOfType", "Missing ] at end of type literal."},
		{"$a[", 1, 3, "MissingArrayIndexExpression", "Array index expression is missing or not valid."},
		{"$x.Foo(1,", 1, 10, "MissingExpressionAfterToken", "Missing expression after ','."},
		{"Get-Thing > file.txt", 1, 13, "RedirectionNotSupported", "Redirecting output to a file is not supported by this Management Shell; use >$null to discard it."},
		{"@\"\nno end", 1, 1, "TerminatorExpectedAtEndOfString", "The string is missing the terminator: \"@."},
		{"Get-Thing -Name:", 1, 11, "ParameterRequiresArgument", "Missing an argument for parameter 'Name'."},
		{"1 +\n\n", 1, 4, "ExpectedValueExpression", "You must provide a value expression following the '+' operator."},
	}
	for _, c := range cases {
		_, err := Parse(c.script)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a ParseError", c.script, err)
			continue
		}
		if pe.Line != c.line || pe.Column != c.col || pe.ID != c.id || pe.Message != c.message {
			t.Errorf("Parse(%q) = line %d col %d %s %q\nwant line %d col %d %s %q", c.script, pe.Line, pe.Column, pe.ID,
				pe.Message, c.line, c.col, c.id, c.message)
		}
	}
}

func TestParseDepthIsBounded(t *testing.T) {
	deep := strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)
	_, err := Parse(deep)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.ID != "ScriptTooComplex" {
		t.Errorf("deep nesting: %v", err)
	}
	if _, err := Parse(strings.Repeat("(", 40) + "1" + strings.Repeat(")", 40)); err != nil {
		t.Errorf("moderate nesting: %v", err)
	}
}

// fuzzHost provides a few commands with every kind of behaviour, for fuzzing Run.
func fuzzHost() *fakeHost {
	h := lyncHost()
	h.on("Set-Thing", func(_ context.Context, p []Param, in []Value, st Streams) ([]Value, error) {
		st.Verbose("v")
		st.Warning("w")
		st.Host("h")
		return append([]Value{int64(len(p))}, in...), &CmdletError{Message: "failed", Category: "InvalidOperation"}
	})
	h.on("Stop-Thing", func(context.Context, []Param, []Value, Streams) ([]Value, error) {
		return nil, &CmdletError{Message: "fatal", Terminating: true}
	})
	h.returns("New-Object", &Object{TypeName: "Com"})
	h.methods["getdrive"] = func(_ *Object, args []Value) (Value, error) {
		return &Object{Props: []Prop{{"AvailableSpace", int64(len(args))}}}, nil
	}
	return h
}

var fuzzSeeds = []string{
	"$ErrorActionPreference = 'Stop'\nImport-Module Lync\nGet-CsPersistentChatState | ForEach-Object { \"state`t$($_.Identity)`t$($_.PoolState)\" }\nGet-CsService -PersistentChatServer | ForEach-Object { \"service`t$($_.Identity)`t$($_.PoolFqdn)`t$($_.ActiveServers -join ',')`t$($_.InactiveServers -join ',')\" }\n",
	"Set-CsPersistentChatActiveServer -Identity 'service:pchat.contoso.local' -ActiveServers @{Replace='pc01.contoso.local','pc02.contoso.local'} -Confirm:$false",
	"Get-CsPersistentChatState | Where-Object {$_.PoolState -eq \"FailedOver\"}",
	"Get-CsPersistentChatState -Identity 'service:pchat.contoso.local' | Select-Object Identity,PoolState | ConvertTo-Json -Compress",
	"(New-Object -ComObject Scripting.FileSystemObject).GetDrive('\\\\fs01.contoso.local\\pchatls').AvailableSpace",
	"Set-Thing -x 1 2>&1 | Format-Table; Stop-Thing; throw 'x'",
	"try { Set-Thing -ea Stop } catch { $_ | Format-List * } finally { exit 2 }",
	"$a = @{x=1,2; y=@{z=$null}}; $a | ConvertTo-Json -Depth 3; $a.GetEnumerator() | Sort-Object Name",
	"foreach ($i in 1..20) { '{0,3:N1}' -f ($i / 3) } ; 'x' * 3 -split '(x)'",
	"[pscustomobject]@{a=1;b=2;c=3;d=4;e=5} | Out-String -Stream | Measure-Object",
	"$s = 'abc'; $s.Substring(1).PadLeft(9, '*').ToUpper() -replace 'B(C)', '$1$$'",
	"Get-Date -Format o; (Get-Date).AddDays(-1.5) -lt (Get-Date); Start-Sleep -Milliseconds 5",
	"Write-Host -NoNewline a; Write-Warning b; Write-Verbose c -Verbose; Write-Error d",
	"$x = $null; $x.y.z; $x[0]; 1/0; [int]'q'; 'a' -match '('",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		_, err := Parse(script)
		if err == nil {
			return
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse returned %T", err)
		}
		if pe.Line < 1 || pe.Column < 1 || pe.ID == "" || pe.Message == "" || len(pe.lines()) < 3 {
			t.Fatalf("malformed parse error %#v", pe)
		}
	})
}

func FuzzRun(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	small := limits{steps: 5_000, arrayLen: 2_000, stringLen: 20_000, callDepth: 20}
	f.Fuzz(func(t *testing.T, script string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var r recorder
		code, err := runLimited(ctx, fuzzHost(), script, &r, small)
		if err != nil {
			t.Fatalf("Run error %v for %q", err, script)
		}
		if _, perr := Parse(script); perr != nil && code != 1 {
			t.Fatalf("parse error but exit %d", code)
		}
		for _, l := range r.lines {
			if strings.ContainsAny(strings.TrimPrefix(strings.TrimPrefix(l, "out: "), "err: "), "\r\n") {
				t.Fatalf("a line with a line break reached Output: %q", l)
			}
		}
	})
}

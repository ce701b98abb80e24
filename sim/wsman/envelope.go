package wsman

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Namespaces and URIs of the WS-Management shell protocol (MS-WSMV).
const (
	nsSOAP       = "http://www.w3.org/2003/05/soap-envelope"
	nsAddressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsWSMan      = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
	nsShell      = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
	nsTransfer   = "http://schemas.xmlsoap.org/ws/2004/09/transfer"
	nsFault      = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"

	actionCreate  = nsTransfer + "/Create"
	actionDelete  = nsTransfer + "/Delete"
	actionCommand = nsShell + "/Command"
	actionReceive = nsShell + "/Receive"
	actionSend    = nsShell + "/Send"
	actionSignal  = nsShell + "/Signal"

	resourceCmd     = nsShell + "/cmd"
	signalTerminate = nsShell + "/signal/terminate"
	stateRunning    = nsShell + "/CommandState/Running"
	stateDone       = nsShell + "/CommandState/Done"
)

// Limits on what a request may ask for.
const (
	// maxRequest bounds a request body; the client's MaxEnvelopeSize is 150 KiB by default.
	maxRequest = 512 << 10
	// defaultOperationTimeout is WinRM's own default when a request names none.
	defaultOperationTimeout = 60 * time.Second
	// maxOperationTimeout bounds a long poll whatever the request says.
	maxOperationTimeout = 10 * time.Minute
	// defaultEnvelope is the MaxEnvelopeSize assumed when a request names none (WinRM's default, 150 KiB).
	defaultEnvelope = 153600
)

// envelope is a request as far as the server reads it.
type envelope struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Header  struct {
		Action           string     `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing Action"`
		MessageID        string     `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing MessageID"`
		ResourceURI      string     `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd ResourceURI"`
		OperationTimeout string     `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd OperationTimeout"`
		MaxEnvelopeSize  string     `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd MaxEnvelopeSize"`
		Selectors        []selector `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd SelectorSet>Selector"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
	Body struct {
		CommandLine *struct {
			Command   string   `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Command"`
			Arguments []string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Arguments"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell CommandLine"`
		Receive *struct {
			DesiredStream struct {
				CommandID string `xml:"CommandId,attr"`
				Streams   string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell DesiredStream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Receive"`
		Send *struct {
			Streams []struct {
				Name      string `xml:"Name,attr"`
				CommandID string `xml:"CommandId,attr"`
				End       string `xml:"End,attr"`
				Data      string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Stream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Send"`
		Signal *struct {
			CommandID string `xml:"CommandId,attr"`
			Code      string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Code"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Signal"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

// selector is one w:Selector of the header's SelectorSet.
type selector struct {
	Name  string `xml:"Name,attr"`
	Value string `xml:",chardata"`
}

// request is a parsed request: what the handlers need, validated.
type request struct {
	Action    string
	MessageID string
	ShellID   string
	// Timeout is the OperationTimeout, bounded.
	Timeout time.Duration
	// Envelope is the largest response the client accepts, in bytes.
	Envelope int

	// Command is the command line of a Command request, arguments joined with spaces.
	Command string
	// CommandID names the command of a Receive, Signal or Send.
	CommandID string
	// SignalCode is the code of a Signal.
	SignalCode string
	// Input is the decoded stdin data of a Send, and InputEnd whether it was the last.
	Input    []byte
	InputEnd bool
}

// parseRequest reads a request body. Errors describe what is wrong for the fault the client gets.
func parseRequest(body []byte) (*request, error) {
	var env envelope
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("the request is not a SOAP envelope: %v", err)
	}
	h := &env.Header
	r := &request{
		Action:    strings.TrimSpace(h.Action),
		MessageID: strings.TrimSpace(h.MessageID),
		Timeout:   parseDuration(h.OperationTimeout, defaultOperationTimeout),
		Envelope:  defaultEnvelope,
	}
	if r.Action == "" {
		return nil, fmt.Errorf("the request has no WS-Addressing Action")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.MaxEnvelopeSize)); err == nil && n >= 8192 && n <= 1<<24 {
		r.Envelope = n
	}
	for _, s := range h.Selectors {
		if strings.EqualFold(s.Name, "ShellId") {
			r.ShellID = strings.TrimSpace(s.Value)
		}
	}
	b := &env.Body
	switch r.Action {
	case actionCommand:
		if b.CommandLine == nil {
			return nil, fmt.Errorf("the Command request has no CommandLine")
		}
		parts := append([]string{strings.TrimSpace(b.CommandLine.Command)}, b.CommandLine.Arguments...)
		r.Command = strings.TrimSpace(strings.Join(parts, " "))
	case actionReceive:
		if b.Receive == nil {
			return nil, fmt.Errorf("the Receive request has no Receive element")
		}
		r.CommandID = strings.TrimSpace(b.Receive.DesiredStream.CommandID)
	case actionSignal:
		if b.Signal == nil {
			return nil, fmt.Errorf("the Signal request has no Signal element")
		}
		r.CommandID = strings.TrimSpace(b.Signal.CommandID)
		r.SignalCode = strings.TrimSpace(b.Signal.Code)
	case actionSend:
		if b.Send == nil {
			return nil, fmt.Errorf("the Send request has no Send element")
		}
		for _, s := range b.Send.Streams {
			if !strings.EqualFold(s.Name, "stdin") {
				return nil, fmt.Errorf("the Send request writes to stream %q; only stdin is accepted", s.Name)
			}
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.Data))
			if err != nil {
				return nil, fmt.Errorf("the Send request's stdin is not base64: %v", err)
			}
			r.CommandID = strings.TrimSpace(s.CommandID)
			r.Input = append(r.Input, data...)
			if e := strings.TrimSpace(s.End); strings.EqualFold(e, "true") || e == "1" {
				r.InputEnd = true
			}
		}
	}
	return r, nil
}

// parseDuration reads an xs:duration such as PT60S, PT20.500S or PT1M30S; anything else gives def, and a longer
// one is cut to maxOperationTimeout. Years and months are refused: an OperationTimeout is never that long.
func parseDuration(s string, def time.Duration) time.Duration {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return def
	}
	var total float64
	inTime := false
	num := ""
	for _, c := range s[1:] {
		switch {
		case c >= '0' && c <= '9' || c == '.':
			num += string(c)
			if len(num) > 20 {
				return def
			}
		case c == 'T' && num == "" && !inTime:
			inTime = true
		default:
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || v < 0 {
				return def
			}
			num = ""
			switch {
			case c == 'D' && !inTime:
				total += v * 86400
			case c == 'H' && inTime:
				total += v * 3600
			case c == 'M' && inTime:
				total += v * 60
			case c == 'S' && inTime:
				total += v
			default:
				return def
			}
		}
	}
	if num != "" {
		return def
	}
	if total > maxOperationTimeout.Seconds() {
		return maxOperationTimeout
	}
	return time.Duration(total * float64(time.Second))
}

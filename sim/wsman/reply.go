package wsman

import (
	"encoding/base64"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// contentType is what WinRM answers with; the client refuses a reply without application/soap+xml.
const contentType = "application/soap+xml;charset=UTF-8"

// openEnv starts a response envelope with its header.
func openEnv(b *strings.Builder, action, relatesTo, messageID string) {
	b.WriteString(`<s:Envelope xml:lang="en-US" xmlns:s="` + nsSOAP + `" xmlns:a="` + nsAddressing +
		`" xmlns:x="` + nsTransfer + `" xmlns:w="` + nsWSMan + `" xmlns:rsp="` + nsShell + `"><s:Header>`)
	b.WriteString(`<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>`)
	b.WriteString(`<a:Action>` + esc(action) + `</a:Action>`)
	b.WriteString(`<a:MessageID>` + esc(messageID) + `</a:MessageID>`)
	if relatesTo != "" {
		b.WriteString(`<a:RelatesTo>` + esc(relatesTo) + `</a:RelatesTo>`)
	}
	b.WriteString(`</s:Header><s:Body>`)
}

// closeEnv ends a response envelope.
func closeEnv(b *strings.Builder) { b.WriteString(`</s:Body></s:Envelope>`) }

// esc escapes XML text and attribute values.
func esc(s string) string { return html.EscapeString(s) }

// createResponse answers Create with the new shell's id, in the selector the client reads and in rsp:Shell.
func createResponse(address, shellID, relatesTo, messageID string) string {
	var b strings.Builder
	openEnv(&b, nsTransfer+"/CreateResponse", relatesTo, messageID)
	b.WriteString(`<x:ResourceCreated><a:Address>` + esc(address) + `</a:Address><a:ReferenceParameters>`)
	b.WriteString(`<w:ResourceURI>` + resourceCmd + `</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">`)
	b.WriteString(esc(shellID) + `</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>`)
	b.WriteString(`<rsp:Shell><rsp:ShellId>` + esc(shellID) + `</rsp:ShellId><rsp:ResourceUri>` + resourceCmd +
		`</rsp:ResourceUri><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`)
	closeEnv(&b)
	return b.String()
}

// commandResponse answers Command with the new command's id.
func commandResponse(commandID, relatesTo, messageID string) string {
	var b strings.Builder
	openEnv(&b, nsShell+"/CommandResponse", relatesTo, messageID)
	b.WriteString(`<rsp:CommandResponse><rsp:CommandId>` + esc(commandID) + `</rsp:CommandId></rsp:CommandResponse>`)
	closeEnv(&b)
	return b.String()
}

// emptyResponse answers Signal, Send and Delete.
func emptyResponse(action, element, relatesTo, messageID string) string {
	var b strings.Builder
	openEnv(&b, action, relatesTo, messageID)
	if element != "" {
		b.WriteString(`<rsp:` + element + `/>`)
	}
	closeEnv(&b)
	return b.String()
}

// receiveResponse answers Receive with output chunks, in order, and the command's state.
func receiveResponse(commandID string, chunks []chunk, done bool, exitCode int, relatesTo, messageID string) string {
	var b strings.Builder
	openEnv(&b, nsShell+"/ReceiveResponse", relatesTo, messageID)
	b.WriteString(`<rsp:ReceiveResponse>`)
	id := esc(commandID)
	for _, c := range chunks {
		b.WriteString(`<rsp:Stream Name="` + c.stream + `" CommandId="` + id + `">`)
		b.WriteString(base64.StdEncoding.EncodeToString(c.data))
		b.WriteString(`</rsp:Stream>`)
	}
	if done {
		b.WriteString(`<rsp:Stream Name="stdout" CommandId="` + id + `" End="true"></rsp:Stream>`)
		b.WriteString(`<rsp:Stream Name="stderr" CommandId="` + id + `" End="true"></rsp:Stream>`)
		b.WriteString(`<rsp:CommandState CommandId="` + id + `" State="` + stateDone + `"><rsp:ExitCode>` +
			strconv.Itoa(exitCode) + `</rsp:ExitCode></rsp:CommandState>`)
	} else {
		b.WriteString(`<rsp:CommandState CommandId="` + id + `" State="` + stateRunning + `"/>`)
	}
	b.WriteString(`</rsp:ReceiveResponse>`)
	closeEnv(&b)
	return b.String()
}

// fault is a WS-Management fault: a SOAP 1.2 fault with the WSManFault detail, sent with HTTP 500.
type fault struct {
	// sender is true for faults caused by the request (s:Sender), false for the service's own (s:Receiver).
	sender bool
	// subcode is the WS-Management subcode, e.g. "w:TimedOut".
	subcode string
	// code is the Windows error number in the WSManFault detail.
	code uint32
	text string
}

// The faults the server sends; the texts follow WinRM's.
func timedOut() *fault {
	return &fault{subcode: "w:TimedOut", code: 2150858793,
		text: "The WS-Management service cannot complete the operation within the time specified in OperationTimeout."}
}

func shellNotFound(id string) *fault {
	return &fault{sender: true, subcode: "w:InvalidSelectors", code: 2150858843,
		text: "The request for the Windows Remote Shell with ShellId " + id + " failed because the shell was not found on " +
			"the server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. " +
			"Provide the correct ShellId or create a new shell and retry the operation."}
}

func commandNotFound(id string) *fault {
	return &fault{sender: true, subcode: "w:InvalidSelectors", code: 2150858843,
		text: "The request for the Windows Remote Shell failed because the command with CommandId " + id +
			" was not found on the server."}
}

func badRequest(text string) *fault {
	return &fault{sender: true, subcode: "w:SchemaValidationError", code: 2150858817, text: text}
}

func unsupportedAction(action string) *fault {
	return &fault{sender: true, subcode: "a:ActionNotSupported", code: 2150858757,
		text: "The WS-Management service does not support the specified action " + action + "."}
}

// accessDenied is what WinRM answers an authenticated account that may not use it (not a local administrator,
// not in Remote Management Users): "Access is denied." with the Windows error 5 as the WSManFault code, as
// clients such as the Ruby WinRM gem show it ("[WSMAN ERROR CODE: 5]: <f:WSManFault Code='5' ...><f:Message>
// Access is denied. </f:Message>"). The subcode is WS-Management's AccessDenied.
func accessDenied() *fault {
	return &fault{sender: true, subcode: "w:AccessDenied", code: 5, text: "Access is denied. "}
}

func quotaExceeded(text string) *fault {
	return &fault{subcode: "w:QuotaLimit", code: 2150859174, text: text}
}

// body renders the fault as a response envelope.
func (f *fault) body(machine, relatesTo, messageID string) string {
	var b strings.Builder
	openEnv(&b, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relatesTo, messageID)
	code := "s:Receiver"
	if f.sender {
		code = "s:Sender"
	}
	b.WriteString(`<s:Fault><s:Code><s:Value>` + code + `</s:Value><s:Subcode><s:Value>` + esc(f.subcode) +
		`</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">` + esc(f.text) + `</s:Text></s:Reason>`)
	b.WriteString(`<s:Detail><f:WSManFault xmlns:f="` + nsFault + `" Code="` + strconv.FormatUint(uint64(f.code), 10) +
		`" Machine="` + esc(machine) + `"><f:Message>` + esc(f.text) + `</f:Message></f:WSManFault></s:Detail></s:Fault>`)
	closeEnv(&b)
	return b.String()
}

// write sends a reply body with WinRM's content type.
func write(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

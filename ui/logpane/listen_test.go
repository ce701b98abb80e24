package logpane

import (
	"testing"
	"time"

	"pcfailback/transcript"
)

func TestListenDeliversBatches(t *testing.T) {
	s := transcript.NewSink(nil, 5)
	defer s.Close()
	s.Write(numbered(0, 12)...)
	msg, ok := Listen(s)().(LinesMsg)
	if !ok {
		t.Fatal("Listen did not return a LinesMsg")
	}
	if len(msg.Lines) != 5 || msg.Dropped != 7 || msg.Lines[0].Text != "line 7" || msg.Err != nil {
		t.Fatalf("LinesMsg = %d lines from %q, %d dropped, err %v", len(msg.Lines), msg.Lines[0].Text, msg.Dropped, msg.Err)
	}
	m := newPane(t, 0, 80, 10)
	m.Append(msg.Lines, msg.Dropped)
	if m.Len() != 6 || m.Total() != 12 {
		t.Fatalf("pane Len %d Total %d", m.Len(), m.Total())
	}
}

func TestListenCapsTheBatch(t *testing.T) {
	s := transcript.NewSink(nil, 2*MaxBatch)
	defer s.Close()
	s.Write(numbered(0, MaxBatch+10)...)
	first := Listen(s)().(LinesMsg)
	second := Listen(s)().(LinesMsg)
	if len(first.Lines) != MaxBatch || len(second.Lines) != 10 {
		t.Fatalf("batches of %d and %d lines", len(first.Lines), len(second.Lines))
	}
}

func TestListenEndsWhenTheSinkCloses(t *testing.T) {
	if Listen(nil) != nil {
		t.Fatal("Listen(nil) is not nil")
	}
	s := transcript.NewSink(nil, 0)
	done := make(chan any)
	go func() { done <- Listen(s)() }()
	s.Close()
	select {
	case msg := <-done:
		if msg != nil {
			t.Fatalf("closed sink delivered %#v", msg)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Listen kept waiting on a closed sink")
	}
}

package mail_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clientele/clientele/internal/core"
	"github.com/clientele/clientele/internal/mail"
)

func TestRecorderWaitsWithoutSleeping(t *testing.T) {
	r := mail.NewRecorder()
	type result struct {
		msgs []core.Message
		err  error
	}
	got := make(chan result, 1)
	go func() {
		msgs, err := r.Wait(testCtx(t), 3)
		got <- result{msgs, err}
	}()
	for _, kind := range []string{"a", "b", "c"} {
		if err := r.Send(testCtx(t), core.Message{Kind: kind}); err != nil {
			t.Fatal(err)
		}
	}
	res := <-got
	if res.err != nil || len(res.msgs) != 3 || res.msgs[0].Kind != "a" || res.msgs[2].Kind != "c" {
		t.Fatalf("Wait = %v, %v", res.msgs, res.err)
	}

	// Messages is a copy: a caller editing it cannot change the record.
	msgs := r.Messages()
	msgs[0].Kind = "edited"
	if r.Messages()[0].Kind != "a" {
		t.Error("Messages exposes the recorder's slice")
	}
}

func TestRecorderWaitReturnsWhatArrivedWhenCtxEnds(t *testing.T) {
	r := mail.NewRecorder()
	_ = r.Send(testCtx(t), core.Message{Kind: "only"})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	msgs, err := r.Wait(ctx, 2)
	if !errors.Is(err, context.Canceled) || len(msgs) != 1 {
		t.Fatalf("Wait = %v, %v; want the one message and context.Canceled", msgs, err)
	}
}

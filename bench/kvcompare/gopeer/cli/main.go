// kvcompare-go-cli: nats.go 1.22.1 as a small command line, the peer of kvdesk-cli in kvcompare's
// whole-process cases. It does what `nats kv get|put|ls|watch` does with nats.go and prints what
// kvdesk-cli prints, so both processes pay for connecting, the work and their output. Standard output is
// buffered and flushed when a batch is done (ls: at the end; watch: whenever no entry is waiting), the
// same policy as kvdesk-cli's. Benchmark-only: never linked into kvdesk.
//
//	kvcompare-go-cli <url> get BUCKET KEY | put BUCKET KEY VALUE | ls BUCKET | watch BUCKET
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o kvcompare-go-cli .
package main

import (
	"bufio"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvcompare-go-cli:", err)
		os.Exit(1)
	}
}

func opName(op nats.KeyValueOp) string {
	switch op {
	case nats.KeyValueDelete:
		return "DEL"
	case nats.KeyValuePurge:
		return "PURGE"
	}
	return "PUT"
}

func watch(store nats.KeyValue, out *bufio.Writer) {
	w, err := store.WatchAll()
	must(err)
	updates := w.Updates()
	for e := range updates {
		if e != nil {
			created := e.Created().Local().Format("2006-01-02 15:04:05")
			if e.Operation() == nats.KeyValuePut {
				fmt.Fprintf(out, "[%s] PUT %s > %s: %s\n", created, e.Bucket(), e.Key(), e.Value())
			} else {
				fmt.Fprintf(out, "[%s] %s %s > %s\n", created, opName(e.Operation()), e.Bucket(), e.Key())
			}
		}
		if len(updates) == 0 { // the batch is done: out it goes before waiting for more
			must(out.Flush())
		}
	}
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: kvcompare-go-cli <url> get|put|ls|watch BUCKET [KEY [VALUE]]")
		os.Exit(2)
	}
	url, verb, bucket := os.Args[1], os.Args[2], os.Args[3]
	nc, err := nats.Connect(url, nats.Name("kvcompare-go-cli"))
	must(err)
	defer nc.Close()
	js, err := nc.JetStream()
	must(err)
	store, err := js.KeyValue(bucket)
	must(err)
	out := bufio.NewWriterSize(os.Stdout, 64*1024)
	defer out.Flush()
	switch {
	case verb == "get" && len(os.Args) == 5:
		e, err := store.Get(os.Args[4])
		must(err)
		fmt.Fprintf(out, "%s > %s revision: %d created @ %s\n\n%s\n\n", e.Bucket(), e.Key(), e.Revision(),
			e.Created().Local().Format(time.RFC822), e.Value())
	case verb == "put" && len(os.Args) == 6:
		_, err := store.Put(os.Args[4], []byte(os.Args[5]))
		must(err)
		fmt.Fprintln(out, os.Args[5])
	case verb == "ls" && len(os.Args) == 4:
		keys, err := store.Keys()
		must(err)
		for _, key := range keys {
			out.WriteString(key)
			out.WriteByte('\n')
		}
	case verb == "watch" && len(os.Args) == 4:
		watch(store, out)
	default:
		fmt.Fprintln(os.Stderr, "kvcompare-go-cli: unknown command line")
		os.Exit(2)
	}
}

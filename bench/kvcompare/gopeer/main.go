// kvcompare-go: nats.go 1.22.1 (Debian's golang-github-nats-io-go-nats-dev) as a benchmark-only peer
// for kvcompare. One case per run against a server kvcompare started; prints "seconds peak_kib" of the
// timed part. Never linked into kvdesk.
//
//	kvcompare-go <case> <url> <count>
//	cases: connect seqput pipeput pub pubsub livewatch list watchinit fill get put
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o kvcompare-go .
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

const bucket = "BENCH"
const window = 4000

var value = make([]byte, 128)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvcompare-go:", err)
		os.Exit(2)
	}
}

func kv(nc *nats.Conn, create bool) (nats.JetStreamContext, nats.KeyValue) {
	js, err := nc.JetStream(nats.PublishAsyncMaxPending(window))
	must(err)
	if create {
		store, err := js.CreateKeyValue(&nats.KeyValueConfig{Bucket: bucket})
		must(err)
		return js, store
	}
	store, err := js.KeyValue(bucket)
	must(err)
	return js, store
}

// Pipelined puts: PublishAsync keeps at most `window` acks outstanding; every ack is checked.
func pipePut(js nats.JetStreamContext, prefix string, n int) {
	futures := make([]nats.PubAckFuture, 0, n)
	for i := 0; i < n; i++ {
		// A loaded machine may hold the acks past nats.go's 200 ms stall wait: wait, never fail.
		f, err := js.PublishAsync("$KV."+bucket+"."+prefix+strconv.Itoa(i), value, nats.StallWait(30*time.Second))
		must(err)
		futures = append(futures, f)
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(120 * time.Second):
		must(fmt.Errorf("acks did not arrive"))
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			must(err)
		case <-time.After(60 * time.Second): // seen: a future that never resolved, and a fill that never ended
			must(fmt.Errorf("an ack never came"))
		}
	}
}

func run(name, url string, n int) time.Duration {
	if name == "connect" {
		start := time.Now()
		nc, err := nats.Connect(url)
		must(err)
		d := time.Since(start)
		nc.Close()
		return d
	}
	nc, err := nats.Connect(url)
	must(err)
	defer nc.Close()
	switch name {
	case "fill":
		js, _ := kv(nc, true)
		pipePut(js, "k.", n)
		return 0
	case "seqput":
		_, store := kv(nc, true)
		start := time.Now()
		for i := 0; i < n; i++ {
			_, err := store.Put("k."+strconv.Itoa(i), value)
			must(err)
		}
		return time.Since(start)
	case "pipeput":
		js, _ := kv(nc, true)
		start := time.Now()
		pipePut(js, "k.", n)
		return time.Since(start)
	case "pub":
		start := time.Now()
		for i := 0; i < n; i++ {
			must(nc.Publish("bench.pub", value))
		}
		must(nc.Flush())
		return time.Since(start)
	case "pubsub":
		sc, err := nats.Connect(url)
		must(err)
		defer sc.Close()
		done := make(chan struct{})
		got := 0
		sub, err := sc.Subscribe("bench.pub", func(*nats.Msg) {
			got++
			if got == n {
				close(done)
			}
		})
		must(err)
		must(sub.SetPendingLimits(-1, -1))
		must(sc.Flush())
		start := time.Now()
		for i := 0; i < n; i++ {
			must(nc.Publish("bench.pub", value))
		}
		must(nc.Flush())
		select {
		case <-done:
		case <-time.After(120 * time.Second):
			must(fmt.Errorf("received %d of %d", got, n))
		}
		return time.Since(start)
	case "livewatch":
		js, store := kv(nc, true)
		w, err := store.WatchAll()
		must(err)
		for e := range w.Updates() { // the empty bucket's end-of-initial marker
			if e == nil {
				break
			}
		}
		start := time.Now()
		go pipePut(js, "k.", n)
		var last uint64
		for got := 0; got < n; {
			select {
			case e := <-w.Updates():
				if e == nil {
					continue
				}
				if e.Revision() != last+1 {
					must(fmt.Errorf("revision %d after %d", e.Revision(), last))
				}
				last = e.Revision()
				got++
			case <-time.After(60 * time.Second):
				must(fmt.Errorf("watch stalled at %d of %d", got, n))
			}
		}
		return time.Since(start)
	case "get": // a whole process: kvcompare times it from outside
		_, store := kv(nc, false)
		_, err := store.Get("k.0")
		must(err)
		return 0
	case "put":
		_, store := kv(nc, false)
		_, err := store.Put("k.0", value)
		must(err)
		return 0
	case "list":
		_, store := kv(nc, false)
		start := time.Now()
		keys, err := store.Keys()
		must(err)
		if len(keys) != n {
			must(fmt.Errorf("listed %d of %d keys", len(keys), n))
		}
		return time.Since(start)
	case "watchinit":
		_, store := kv(nc, false)
		start := time.Now()
		w, err := store.WatchAll()
		must(err)
		got := 0
		for e := range w.Updates() {
			if e == nil {
				break
			}
			got++
		}
		if got != n {
			must(fmt.Errorf("watched %d of %d initial values", got, n))
		}
		return time.Since(start)
	}
	must(fmt.Errorf("unknown case %s", name))
	return 0
}

// VmHWM, not getrusage(): ru_maxrss survives exec and would report the parent's peak.
func peakKiB() int {
	status, err := os.ReadFile("/proc/self/status")
	must(err)
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kib, err := strconv.Atoi(strings.Fields(line)[1])
			must(err)
			return kib
		}
	}
	return -1
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: kvcompare-go <case> <url> <count>")
		os.Exit(1)
	}
	n, err := strconv.Atoi(os.Args[3])
	must(err)
	d := run(os.Args[1], os.Args[2], n)
	fmt.Printf("%.6f %d\n", d.Seconds(), peakKiB())
}

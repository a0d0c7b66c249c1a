// kvinterop-peer: the official nats.go client (1.22.1, Debian's golang-github-nats-io-go-nats-dev) as an
// interop peer for tst_kvinterop_go. One command per run; every result is one JSON object per line on
// stdout. A failed command prints {"error":...} and exits with status 2; a usage error exits with 1.
//
//	create-bucket <url> <config-json>       {"bucket":..,"description":..,"history":..,"ttl_ms":..,
//	                                          "max_bytes":..,"max_value_size":..,"storage":"file|memory",
//	                                          "replicas":..,"republish":{"src","dest","headers_only"},
//	                                          "mirror":"<bucket>","sources":["<bucket>",...]}
//	delete-bucket <url> <bucket>
//	status        <url> <bucket>             Go's KeyValueStatus of the bucket
//	put|create    <url> <bucket> <key> <base64 value>      {"revision":n}
//	update        <url> <bucket> <key> <base64 value> <expected revision>
//	delete|purge  <url> <bucket> <key> [<expected revision>]
//	get           <url> <bucket> <key> [<revision>]        one entry
//	history       <url> <bucket> <key>                     {"entries":[...]}
//	keys          <url> <bucket>                           {"keys":[...]}
//	watch         <url> <bucket> <pattern> <count>         entries as they come, {"initial_done":true}
//	                                                       after the initial ones; exits after count
//	                                                       entries, or fails after 30 s
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o kvinterop-peer .
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

type bucketConfig struct {
	Bucket       string   `json:"bucket"`
	Description  string   `json:"description"`
	History      uint8    `json:"history"`
	TTLMs        int64    `json:"ttl_ms"`
	MaxBytes     int64    `json:"max_bytes"`
	MaxValueSize int32    `json:"max_value_size"`
	Storage      string   `json:"storage"`
	Replicas     int      `json:"replicas"`
	Mirror       string   `json:"mirror"`
	Sources      []string `json:"sources"`
	RePublish    *struct {
		Source      string `json:"src"`
		Destination string `json:"dest"`
		HeadersOnly bool   `json:"headers_only"`
	} `json:"republish"`
}

type entryJSON struct {
	Bucket    string `json:"bucket"`
	Key       string `json:"key"`
	Value     []byte `json:"value"` // base64 in JSON
	Revision  uint64 `json:"revision"`
	Delta     uint64 `json:"delta"`
	Created   int64  `json:"created_unix_ms"`
	Operation string `json:"operation"`
}

func operationName(op nats.KeyValueOp) string {
	switch op {
	case nats.KeyValuePut:
		return "PUT"
	case nats.KeyValueDelete:
		return "DEL"
	case nats.KeyValuePurge:
		return "PURGE"
	}
	return op.String()
}

func toEntry(e nats.KeyValueEntry) entryJSON {
	return entryJSON{
		Bucket:    e.Bucket(),
		Key:       e.Key(),
		Value:     e.Value(),
		Revision:  e.Revision(),
		Delta:     e.Delta(),
		Created:   e.Created().UnixMilli(),
		Operation: operationName(e.Operation()),
	}
}

func emit(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(append(b, '\n'))
}

// fail reports err with what a test needs to tell the failures apart, and exits.
func fail(err error) {
	out := map[string]interface{}{
		"error":      err.Error(),
		"not_found":  errors.Is(err, nats.ErrKeyNotFound),
		"key_exists": errors.Is(err, nats.ErrKeyExists),
	}
	var apiErr *nats.APIError
	if errors.As(err, &apiErr) {
		out["err_code"] = apiErr.ErrorCode
	}
	emit(out)
	os.Exit(2)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kvinterop-peer <command> <url> <args...> (see main.go)")
	os.Exit(1)
}

func arg(i int) string {
	if i >= len(os.Args) {
		usage()
	}
	return os.Args[i]
}

func number(s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		usage()
	}
	return n
}

func value(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		usage()
	}
	return b
}

func createBucket(js nats.JetStreamContext, text string) {
	var c bucketConfig
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		fail(err)
	}
	cfg := &nats.KeyValueConfig{
		Bucket:       c.Bucket,
		Description:  c.Description,
		History:      c.History,
		TTL:          time.Duration(c.TTLMs) * time.Millisecond,
		MaxBytes:     c.MaxBytes,
		MaxValueSize: c.MaxValueSize,
		Replicas:     c.Replicas,
	}
	if c.Storage == "memory" {
		cfg.Storage = nats.MemoryStorage
	}
	if c.RePublish != nil {
		cfg.RePublish = &nats.RePublish{Source: c.RePublish.Source, Destination: c.RePublish.Destination,
			HeadersOnly: c.RePublish.HeadersOnly}
	}
	if c.Mirror != "" {
		cfg.Mirror = &nats.StreamSource{Name: c.Mirror}
	}
	for _, s := range c.Sources {
		cfg.Sources = append(cfg.Sources, &nats.StreamSource{Name: s})
	}
	kv, err := js.CreateKeyValue(cfg)
	if err != nil {
		fail(err)
	}
	emit(map[string]string{"bucket": kv.Bucket()})
}

func bind(js nats.JetStreamContext, bucket string) nats.KeyValue {
	kv, err := js.KeyValue(bucket)
	if err != nil {
		fail(err)
	}
	return kv
}

func deleteOptions(i int) []nats.DeleteOpt {
	if i < len(os.Args) {
		return []nats.DeleteOpt{nats.LastRevision(number(os.Args[i]))}
	}
	return nil
}

func watch(kv nats.KeyValue, pattern string, count uint64) {
	w, err := kv.Watch(pattern)
	if err != nil {
		fail(err)
	}
	defer w.Stop()
	deadline := time.After(30 * time.Second)
	for seen := uint64(0); seen < count; {
		select {
		case e := <-w.Updates():
			if e == nil {
				emit(map[string]bool{"initial_done": true})
				continue
			}
			emit(toEntry(e))
			seen++
		case <-deadline:
			fail(errors.New("watch: timed out"))
		}
	}
}

func main() {
	command := arg(1)
	nc, err := nats.Connect(arg(2), nats.Timeout(5*time.Second))
	if err != nil {
		fail(err)
	}
	defer nc.Close()
	js, err := nc.JetStream(nats.MaxWait(5 * time.Second))
	if err != nil {
		fail(err)
	}

	switch command {
	case "create-bucket":
		createBucket(js, arg(3))
	case "delete-bucket":
		if err := js.DeleteKeyValue(arg(3)); err != nil {
			fail(err)
		}
		emit(map[string]bool{"ok": true})
	case "status":
		st, err := bind(js, arg(3)).Status()
		if err != nil {
			fail(err)
		}
		emit(map[string]interface{}{"bucket": st.Bucket(), "values": st.Values(), "history": st.History(),
			"ttl_ms": st.TTL().Milliseconds(), "bytes": st.Bytes(), "backing_store": st.BackingStore()})
	case "put", "create", "update":
		kv := bind(js, arg(3))
		var rev uint64
		switch command {
		case "put":
			rev, err = kv.Put(arg(4), value(arg(5)))
		case "create":
			rev, err = kv.Create(arg(4), value(arg(5)))
		default:
			rev, err = kv.Update(arg(4), value(arg(5)), number(arg(6)))
		}
		if err != nil {
			fail(err)
		}
		emit(map[string]uint64{"revision": rev})
	case "delete", "purge":
		kv := bind(js, arg(3))
		if command == "delete" {
			err = kv.Delete(arg(4), deleteOptions(5)...)
		} else {
			err = kv.Purge(arg(4), deleteOptions(5)...)
		}
		if err != nil {
			fail(err)
		}
		emit(map[string]bool{"ok": true})
	case "get":
		kv := bind(js, arg(3))
		var e nats.KeyValueEntry
		if len(os.Args) > 5 {
			e, err = kv.GetRevision(arg(4), number(arg(5)))
		} else {
			e, err = kv.Get(arg(4))
		}
		if err != nil {
			fail(err)
		}
		emit(toEntry(e))
	case "history":
		list, err := bind(js, arg(3)).History(arg(4))
		if err != nil {
			fail(err)
		}
		entries := []entryJSON{}
		for _, e := range list {
			entries = append(entries, toEntry(e))
		}
		emit(map[string]interface{}{"entries": entries})
	case "keys":
		keys, err := bind(js, arg(3)).Keys()
		if err != nil && !errors.Is(err, nats.ErrNoKeysFound) {
			fail(err)
		}
		if keys == nil {
			keys = []string{}
		}
		emit(map[string]interface{}{"keys": keys})
	case "watch":
		watch(bind(js, arg(3)), arg(4), number(arg(5)))
	default:
		usage()
	}
}

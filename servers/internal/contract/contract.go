// Package contract holds what every Go sample server shares: the environment
// (HOST, PORT, WORKERS), the parameter rules of /io and /cpu, the prime count
// and the response bodies. The frameworks differ only in routing and writing,
// which is what the benchmarks compare. See servers/CONTRACT.md.
package contract

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

const (
	MaxIOMillis = 10000
	MinCPUN     = 1
	MaxCPUN     = 10000000

	PlainText = "Hello, World!"

	// ShutdownGrace bounds a graceful shutdown so that SIGTERM ends the server
	// within the contract's 5 s even while /io requests are sleeping.
	ShutdownGrace = 2 * time.Second

	ioError  = "ms must be an integer from 0 to 10000: use /io?ms=N"
	cpuError = "n must be an integer from 1 to 10000000: use /cpu?n=N"
)

// Bodies; field order is the contract's byte order.
type Message struct {
	Message string `json:"message"`
}

type Waited struct {
	WaitedMs int `json:"waited_ms"`
}

type Primes struct {
	N      int `json:"n"`
	Primes int `json:"primes"`
}

type Error struct {
	Error string `json:"error"`
}

// Hello is built per request by the handlers (the contract asks for a
// serialization per request, not a cached byte slice).
func Hello() Message { return Message{Message: "Hello, World!"} }

// Config is the server's environment, validated.
type Config struct {
	Host    string
	Port    int
	Workers int
}

// Addr is host:port, with brackets for an IPv6 host.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// LoadConfig reads HOST, PORT and WORKERS. On bad input it prints what is
// wrong and how to fix it on stderr and exits with status 2.
func LoadConfig(id string) Config {
	cfg := Config{Host: "127.0.0.1", Workers: 1}
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "%s: %s\n", id, fmt.Sprintf(format, args...))
		os.Exit(2)
	}
	if h := os.Getenv("HOST"); h != "" {
		cfg.Host = h
	}
	port, ok := os.LookupEnv("PORT")
	if !ok || port == "" {
		fail("PORT is not set: run it as PORT=8080 %s (HOST defaults to 127.0.0.1, WORKERS to 1)", os.Args[0])
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		fail("PORT=%q is not a port number: use an integer from 1 to 65535", port)
	}
	cfg.Port = p
	if w, ok := os.LookupEnv("WORKERS"); ok && w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > 1024 {
			fail("WORKERS=%q is not a worker count: use an integer from 1 to 1024", w)
		}
		cfg.Workers = n
	}
	// For Go, WORKERS is the number of OS threads running Go code at once.
	runtime.GOMAXPROCS(cfg.Workers)
	return cfg
}

// Announce prints the one start-up line on stdout.
func Announce(id string, cfg Config) {
	fmt.Printf("%s listening on http://%s (GOMAXPROCS=%d)\n", id, cfg.Addr(), cfg.Workers)
}

// Fatal reports a start-up failure (e.g. the port is taken) on stderr.
func Fatal(id string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", id, err)
	os.Exit(1)
}

// SignalContext is cancelled on SIGTERM or SIGINT.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
}

// Run prints the start-up line and serves until SIGTERM or SIGINT, then
// shuts down gracefully, giving requests in flight up to ShutdownGrace.
// It returns only once the shutdown is over: serve returns as soon as the
// listener closes, and leaving main then would cut those requests off.
func Run(id string, cfg Config, serve func() error, shutdown func(context.Context) error) {
	ctx, stop := SignalContext()
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
		defer cancel()
		_ = shutdown(shutdownCtx)
	}()
	Announce(id, cfg)
	if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		Fatal(id, err)
	}
	<-done
}

// ErrBadParameter is returned by the parsers; its text is the 400 body's error.
var ErrBadParameter = errors.New("bad parameter")

type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }
func (e *paramError) Unwrap() error { return ErrBadParameter }

// parseBounded accepts only ASCII digits (no sign, no spaces, no empty
// value), so that every language agrees on what is valid.
func parseBounded(raw string, lo, hi int, msg string) (int, error) {
	if raw == "" || len(raw) > 18 {
		return 0, &paramError{msg}
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return 0, &paramError{msg}
		}
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		return 0, &paramError{msg}
	}
	return v, nil
}

// ParseIOMillis validates the ms parameter of /io (first value if repeated).
func ParseIOMillis(raw string) (int, error) { return parseBounded(raw, 0, MaxIOMillis, ioError) }

// ParseCPUN validates the n parameter of /cpu (first value if repeated).
func ParseCPUN(raw string) (int, error) { return parseBounded(raw, MinCPUN, MaxCPUN, cpuError) }

// Wait is how a Go handler waits on a database or an upstream API: the
// goroutine parks, its OS thread serves other goroutines meanwhile.
func Wait(ms int) Waited {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return Waited{WaitedMs: ms}
}

// CountPrimes counts the primes below n by trial division by 2 and the odd
// numbers up to the square root: the same algorithm in every language.
func CountPrimes(n int) int {
	count := 0
	for k := 2; k < n; k++ {
		if isPrime(k) {
			count++
		}
	}
	return count
}

func isPrime(k int) bool {
	if k < 4 {
		return k >= 2
	}
	if k%2 == 0 {
		return false
	}
	for d := 3; d*d <= k; d += 2 {
		if k%d == 0 {
			return false
		}
	}
	return true
}

// Cpu does the work of /cpu.
func Cpu(n int) Primes { return Primes{N: n, Primes: CountPrimes(n)} }

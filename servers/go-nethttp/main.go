// go-nethttp: the standard library's net/http and encoding/json, the baseline
// the Go frameworks are measured against. See servers/CONTRACT.md.
package main

import (
	"encoding/json"
	"net"
	"net/http"

	"stackadvisor.local/servers/internal/contract"
)

const id = "go-nethttp"

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func main() {
	cfg := contract.LoadConfig(id)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, contract.Hello())
	})
	mux.HandleFunc("GET /plaintext", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(contract.PlainText))
	})
	mux.HandleFunc("GET /io", func(w http.ResponseWriter, r *http.Request) {
		ms, err := contract.ParseIOMillis(r.URL.Query().Get("ms"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, contract.Wait(ms))
	})
	mux.HandleFunc("GET /cpu", func(w http.ResponseWriter, r *http.Request) {
		n, err := contract.ParseCPUN(r.URL.Query().Get("n"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, contract.Cpu(n))
	})

	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		contract.Fatal(id, err)
	}
	server := &http.Server{Handler: mux}
	contract.Run(id, cfg, func() error { return server.Serve(ln) }, server.Shutdown)
}

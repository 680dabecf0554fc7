// go-nethttp: the standard library's net/http and encoding/json, the baseline
// the Go frameworks are measured against. See servers/CONTRACT.md.
package main

import (
	"bytes"
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
	db := contract.OpenDatabase(id)
	defer db.Close()
	fortunesPage := contract.FortunesTemplate()

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
	mux.HandleFunc("GET /db", func(w http.ResponseWriter, r *http.Request) {
		world, err := db.RandomWorld(r.Context())
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		writeJSON(w, http.StatusOK, world)
	})
	mux.HandleFunc("GET /queries", func(w http.ResponseWriter, r *http.Request) {
		n, err := contract.ParseQueries(r.URL.Query().Get("n"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		worlds, err := db.RandomWorlds(r.Context(), n)
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		writeJSON(w, http.StatusOK, worlds)
	})
	mux.HandleFunc("GET /fortunes", func(w http.ResponseWriter, r *http.Request) {
		fortunes, err := db.Fortunes(r.Context())
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		// Rendered into a buffer first so that a template error is a 500, not
		// half a page with a 200.
		var page bytes.Buffer
		if err := fortunesPage.ExecuteTemplate(&page, contract.FortunesTemplateName, fortunes); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page.Bytes())
	})
	mux.HandleFunc("GET /info", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, db.Info(id, cfg))
	})

	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		contract.Fatal(id, err)
	}
	server := &http.Server{Handler: mux}
	contract.Run(id, cfg, func() error { return server.Serve(ln) }, server.Shutdown)
}

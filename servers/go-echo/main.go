// go-echo: Echo v5 with its recover middleware and no request logger, on
// net/http's server. See servers/CONTRACT.md.
package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"os"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"stackadvisor.local/servers/internal/contract"
)

const id = "go-echo"

// writeJSON marshals per request; c.JSON would append a newline (it streams
// through json.Encoder) and the contract's bodies are byte-exact.
func writeJSON(c *echo.Context, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.JSONBlob(status, body)
}

func main() {
	cfg := contract.LoadConfig(id)

	e := echo.New()
	// Echo logs to stdout by default; the contract keeps stdout for the
	// start-up line.
	e.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e.Use(middleware.Recover())
	e.GET("/healthz", func(c *echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/json", func(c *echo.Context) error { return writeJSON(c, http.StatusOK, contract.Hello()) })
	e.GET("/plaintext", func(c *echo.Context) error { return c.String(http.StatusOK, contract.PlainText) })
	e.GET("/io", func(c *echo.Context) error {
		ms, err := contract.ParseIOMillis(c.QueryParam("ms"))
		if err != nil {
			return writeJSON(c, http.StatusBadRequest, contract.Error{Error: err.Error()})
		}
		return writeJSON(c, http.StatusOK, contract.Wait(ms))
	})
	e.GET("/cpu", func(c *echo.Context) error {
		n, err := contract.ParseCPUN(c.QueryParam("n"))
		if err != nil {
			return writeJSON(c, http.StatusBadRequest, contract.Error{Error: err.Error()})
		}
		return writeJSON(c, http.StatusOK, contract.Cpu(n))
	})

	ctx, stop := contract.SignalContext()
	defer stop()
	sc := echo.StartConfig{
		Address:         cfg.Addr(),
		HideBanner:      true,
		HidePort:        true,
		GracefulTimeout: contract.ShutdownGrace,
		BeforeServeFunc: func(*http.Server) error {
			contract.Announce(id, cfg)
			return nil
		},
	}
	if err := sc.Start(ctx, e); err != nil {
		contract.Fatal(id, err)
	}
}

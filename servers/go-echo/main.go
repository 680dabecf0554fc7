// go-echo: Echo v5 with its recover middleware and no request logger, on
// net/http's server. See servers/CONTRACT.md.
package main

import (
	"encoding/json"
	"html/template"
	"io"
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

// htmlRenderer is Echo's documented way to render templates: an echo.Renderer
// over html/template.
type htmlRenderer struct{ templates *template.Template }

func (r htmlRenderer) Render(c *echo.Context, w io.Writer, name string, data any) error {
	return r.templates.ExecuteTemplate(w, name, data)
}

func main() {
	cfg := contract.LoadConfig(id)
	db := contract.OpenDatabase(id)
	defer db.Close()

	e := echo.New()
	e.Renderer = htmlRenderer{contract.FortunesTemplate()}
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
	e.GET("/db", func(c *echo.Context) error {
		world, err := db.RandomWorld(c.Request().Context())
		if err != nil {
			return writeJSON(c, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
		}
		return writeJSON(c, http.StatusOK, world)
	})
	e.GET("/queries", func(c *echo.Context) error {
		n, err := contract.ParseQueries(c.QueryParam("n"))
		if err != nil {
			return writeJSON(c, http.StatusBadRequest, contract.Error{Error: err.Error()})
		}
		worlds, err := db.RandomWorlds(c.Request().Context(), n)
		if err != nil {
			return writeJSON(c, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
		}
		return writeJSON(c, http.StatusOK, worlds)
	})
	e.GET("/fortunes", func(c *echo.Context) error {
		fortunes, err := db.Fortunes(c.Request().Context())
		if err != nil {
			return writeJSON(c, http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
		}
		return c.Render(http.StatusOK, contract.FortunesTemplateName, fortunes)
	})
	e.GET("/info", func(c *echo.Context) error { return writeJSON(c, http.StatusOK, db.Info(id, cfg)) })

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

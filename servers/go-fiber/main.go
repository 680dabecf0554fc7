// go-fiber: Fiber v2 on fasthttp, default configuration without the start-up
// banner. See servers/CONTRACT.md.
package main

import (
	"net"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"stackadvisor.local/servers/internal/contract"
)

const id = "go-fiber"

func main() {
	cfg := contract.LoadConfig(id)
	db := contract.OpenDatabase(id)
	defer db.Close()

	// Fiber's html engine (html/template underneath), on the shared template.
	views := html.NewFileSystem(http.FS(contract.Templates), ".html")
	app := fiber.New(fiber.Config{DisableStartupMessage: true, Views: views})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/json", func(c *fiber.Ctx) error { return c.JSON(contract.Hello()) })
	app.Get("/plaintext", func(c *fiber.Ctx) error { return c.SendString(contract.PlainText) })
	app.Get("/io", func(c *fiber.Ctx) error {
		ms, err := contract.ParseIOMillis(c.Query("ms"))
		if err != nil {
			return c.Status(fiber.StatusBadRequest).JSON(contract.Error{Error: err.Error()})
		}
		return c.JSON(contract.Wait(ms))
	})
	app.Get("/cpu", func(c *fiber.Ctx) error {
		n, err := contract.ParseCPUN(c.Query("n"))
		if err != nil {
			return c.Status(fiber.StatusBadRequest).JSON(contract.Error{Error: err.Error()})
		}
		return c.JSON(contract.Cpu(n))
	})
	app.Get("/db", func(c *fiber.Ctx) error {
		world, err := db.RandomWorld(c.Context())
		if err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(contract.Error{Error: contract.DatabaseError(err)})
		}
		return c.JSON(world)
	})
	app.Get("/queries", func(c *fiber.Ctx) error {
		n, err := contract.ParseQueries(c.Query("n"))
		if err != nil {
			return c.Status(fiber.StatusBadRequest).JSON(contract.Error{Error: err.Error()})
		}
		worlds, err := db.RandomWorlds(c.Context(), n)
		if err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(contract.Error{Error: contract.DatabaseError(err)})
		}
		return c.JSON(worlds)
	})
	app.Get("/fortunes", func(c *fiber.Ctx) error {
		fortunes, err := db.Fortunes(c.Context())
		if err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(contract.Error{Error: contract.DatabaseError(err)})
		}
		return c.Render("fortunes", fortunes)
	})
	app.Get("/info", func(c *fiber.Ctx) error { return c.JSON(db.Info(id, cfg)) })

	// Listening here rather than in app.Listen so that an IPv6 HOST works
	// (Fiber's default network is tcp4) and a taken port fails before the
	// start-up line.
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		contract.Fatal(id, err)
	}
	contract.Run(id, cfg, func() error { return app.Listener(ln) }, app.ShutdownWithContext)
}

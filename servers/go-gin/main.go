// go-gin: Gin in release mode with its recovery middleware and no logger, on
// net/http's server. See servers/CONTRACT.md.
package main

import (
	"net"
	"net/http"

	"github.com/gin-gonic/gin"

	"stackadvisor.local/servers/internal/contract"
)

const id = "go-gin"

func main() {
	cfg := contract.LoadConfig(id)
	db := contract.OpenDatabase(id)
	defer db.Close()
	gin.SetMode(gin.ReleaseMode)

	r := gin.New()
	r.Use(gin.Recovery())
	r.SetHTMLTemplate(contract.FortunesTemplate())
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	r.GET("/json", func(c *gin.Context) { c.JSON(http.StatusOK, contract.Hello()) })
	r.GET("/plaintext", func(c *gin.Context) { c.String(http.StatusOK, contract.PlainText) })
	r.GET("/io", func(c *gin.Context) {
		ms, err := contract.ParseIOMillis(c.Query("ms"))
		if err != nil {
			c.JSON(http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		c.JSON(http.StatusOK, contract.Wait(ms))
	})
	r.GET("/cpu", func(c *gin.Context) {
		n, err := contract.ParseCPUN(c.Query("n"))
		if err != nil {
			c.JSON(http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		c.JSON(http.StatusOK, contract.Cpu(n))
	})
	r.GET("/db", func(c *gin.Context) {
		world, err := db.RandomWorld(c.Request.Context())
		if err != nil {
			c.JSON(http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		c.JSON(http.StatusOK, world)
	})
	r.GET("/queries", func(c *gin.Context) {
		n, err := contract.ParseQueries(c.Query("n"))
		if err != nil {
			c.JSON(http.StatusBadRequest, contract.Error{Error: err.Error()})
			return
		}
		worlds, err := db.RandomWorlds(c.Request.Context(), n)
		if err != nil {
			c.JSON(http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		c.JSON(http.StatusOK, worlds)
	})
	r.GET("/fortunes", func(c *gin.Context) {
		fortunes, err := db.Fortunes(c.Request.Context())
		if err != nil {
			c.JSON(http.StatusServiceUnavailable, contract.Error{Error: contract.DatabaseError(err)})
			return
		}
		c.HTML(http.StatusOK, contract.FortunesTemplateName, fortunes)
	})
	r.GET("/info", func(c *gin.Context) { c.JSON(http.StatusOK, db.Info(id, cfg)) })

	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		contract.Fatal(id, err)
	}
	server := &http.Server{Handler: r}
	contract.Run(id, cfg, func() error { return server.Serve(ln) }, server.Shutdown)
}

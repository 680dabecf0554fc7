package contract

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"sort"

	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	MinQueries = 1
	MaxQueries = 500
	WorldRows  = 10000

	// Added to the fortunes at request time, as TechEmpower's fortunes test asks.
	ExtraFortune = "Additional fortune added at request time."

	queriesError = "n must be an integer from 1 to 500: use /queries?n=N"
	noDatabase   = "no database: this server was started without DATABASE_URL; " +
		"start it with DATABASE_URL=postgres://user@host:port/dbname to use /db, /queries and /fortunes"

	selectWorld    = "SELECT id, randomnumber FROM world WHERE id = $1"
	selectFortunes = "SELECT id, message FROM fortune"
)

// World is a row of the world table; field order is the contract's byte order.
type World struct {
	ID           int32 `json:"id"`
	RandomNumber int32 `json:"randomNumber"`
}

// Fortune is a row of the fortune table.
type Fortune struct {
	ID      int32
	Message string
}

//go:embed fortunes.html
var Templates embed.FS

// FortunesTemplateName is the template's name for html/template (Gin, Echo,
// net/http); Fiber's engine names it by the file without its extension.
const FortunesTemplateName = "fortunes.html"

// FortunesTemplate parses the fortunes page with html/template, whose
// contextual escaping is what Gin, Echo and net/http render with.
func FortunesTemplate() *template.Template {
	return template.Must(template.ParseFS(Templates, FortunesTemplateName))
}

// ErrNoDatabase is returned by every query when DATABASE_URL was not set.
var ErrNoDatabase = errors.New(noDatabase)

// Database is the server's pgxpool, or nothing when DATABASE_URL is unset.
type Database struct {
	pool *pgxpool.Pool
}

// OpenDatabase builds the pool from DATABASE_URL (none when it is unset).
// pgxpool connects lazily, so a database that is down makes the database
// paths answer 503 instead of stopping the server. The pool keeps pgx's
// documented default size, the greater of 4 and runtime.NumCPU() (pgxpool
// Config.MaxConns): the size a production user gets without tuning.
func OpenDatabase(id string) *Database {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return &Database{}
	}
	config, err := pgxpool.ParseConfig(url)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: DATABASE_URL is not a PostgreSQL URL (%v): use postgres://user@host:port/dbname\n", id, err)
		os.Exit(2)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), config)
	if err != nil {
		Fatal(id, err)
	}
	return &Database{pool: pool}
}

// Close closes the pool's connections.
func (d *Database) Close() {
	if d.pool != nil {
		d.pool.Close()
	}
}

// DatabaseError is the 503 body's error for err.
func DatabaseError(err error) string {
	if errors.Is(err, ErrNoDatabase) {
		return noDatabase
	}
	return "database error: " + err.Error()
}

func randomID() int32 { return rand.Int32N(WorldRows) + 1 }

// RandomWorld reads one random world row.
func (d *Database) RandomWorld(ctx context.Context) (World, error) {
	var w World
	if d.pool == nil {
		return w, ErrNoDatabase
	}
	err := d.pool.QueryRow(ctx, selectWorld, randomID()).Scan(&w.ID, &w.RandomNumber)
	return w, err
}

// RandomWorlds reads n random world rows, one query each, one after another
// on one connection of the pool.
func (d *Database) RandomWorlds(ctx context.Context, n int) ([]World, error) {
	if d.pool == nil {
		return nil, ErrNoDatabase
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	worlds := make([]World, n)
	for i := range worlds {
		if err := conn.QueryRow(ctx, selectWorld, randomID()).Scan(&worlds[i].ID, &worlds[i].RandomNumber); err != nil {
			return nil, err
		}
	}
	return worlds, nil
}

// Fortunes reads every fortune, adds the request-time one and sorts them by
// message.
func (d *Database) Fortunes(ctx context.Context) ([]Fortune, error) {
	if d.pool == nil {
		return nil, ErrNoDatabase
	}
	rows, err := d.pool.Query(ctx, selectFortunes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fortunes := make([]Fortune, 0, 16)
	for rows.Next() {
		var f Fortune
		if err := rows.Scan(&f.ID, &f.Message); err != nil {
			return nil, err
		}
		fortunes = append(fortunes, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	fortunes = append(fortunes, Fortune{ID: 0, Message: ExtraFortune})
	sort.Slice(fortunes, func(i, j int) bool { return fortunes[i].Message < fortunes[j].Message })
	return fortunes, nil
}

// ParseQueries validates the n parameter of /queries (first value if repeated).
func ParseQueries(raw string) (int, error) {
	return parseBounded(raw, MinQueries, MaxQueries, queriesError)
}

// Info is the body of /info: what the runner records about the server's
// database access.
type Info struct {
	ID       string       `json:"id"`
	Workers  int          `json:"workers"`
	Database DatabaseInfo `json:"database"`
}

type DatabaseInfo struct {
	Configured     bool   `json:"configured"`
	Driver         string `json:"driver"`
	DriverVersion  string `json:"driverVersion"`
	Pool           string `json:"pool"`
	PoolSize       int    `json:"poolSize"`
	Pools          int    `json:"pools"`
	PoolSizeSource string `json:"poolSizeSource"`
}

// Info describes this server and its pool. One Go process serves with one pool.
func (d *Database) Info(id string, cfg Config) Info {
	size := max(4, runtime.NumCPU()) // what pgxpool.ParseConfig chooses
	if d.pool != nil {
		size = int(d.pool.Config().MaxConns)
	}
	return Info{ID: id, Workers: cfg.Workers, Database: DatabaseInfo{
		Configured:     d.pool != nil,
		Driver:         "pgx",
		DriverVersion:  moduleVersion("github.com/jackc/pgx/v5"),
		Pool:           "pgxpool",
		PoolSize:       size,
		Pools:          1,
		PoolSizeSource: "pgxpool default: the greater of 4 and runtime.NumCPU() (pgxpool.Config.MaxConns)",
	}}
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				return dep.Version
			}
		}
	}
	return "unknown"
}

// Command parley-ferretdb runs FerretDB v1 embedded, as the MongoDB-compatible
// server for development and tests.
//
// It exists because `go install` of FerretDB's own command builds a binary
// without its version file, which panics at start-up; the embedding API
// (github.com/FerretDB/FerretDB/ferretdb) has no such problem.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URL (must end with /)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for the postgresql backend")
	parentPID := flag.Int("parent-pid", 0, "exit when this process is gone (so a killed parent leaves nothing behind)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "parley-ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *parentPID > 0 {
		go watchParent(ctx, *parentPID, stop)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "parley-ferretdb: %v\n", err)
		os.Exit(1)
	}

	fmt.Fprintf(os.Stderr, "parley-ferretdb listening on %s (%s)\n", *listen, *handler)
	f.Run(ctx)
}

// watchParent stops the server once the parent process has gone away.
func watchParent(ctx context.Context, pid int, stop context.CancelFunc) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if os.Getppid() != pid || syscall.Kill(pid, 0) != nil {
				stop()
				return
			}
		}
	}
}

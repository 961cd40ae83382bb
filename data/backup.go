package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Backup writes a consistent copy of the database into dir with VACUUM INTO
// (never a file copy of a live WAL database) and returns its path.
func (s *Store) Backup(ctx context.Context, dir, label string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("data: backup folder: %w", err)
	}
	name := fmt.Sprintf("stationdesk-%s-%s.db", time.Now().Format("20060102-150405.000"), label)
	path := filepath.Join(dir, name)
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return "", fmt.Errorf("data: backup: %w", err)
	}
	return path, nil
}

// sqlQuote quotes a string literal for the rare statements that take no parameters.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

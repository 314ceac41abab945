package cli

import (
	"os"
	"path/filepath"
	"runtime"
)

// appDirName names the per-user data directory.
const appDirName = "kasir-pos"

// DefaultDataDir is the OS's per-user application data directory.
func DefaultDataDir() string {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, appDirName)
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", appDirName)
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, appDirName)
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", appDirName)
		}
	}
	return appDirName
}

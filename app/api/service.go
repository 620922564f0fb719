package api

import (
	"bufio"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// ping answers the UI's route guard: an empty 200, because the UI parses the
// body as JSON and "pong" would send it to its "service unavailable" page.
func ping(c echo.Context) error {
	return c.NoContent(http.StatusOK)
}

func cpuUsage(c echo.Context) error {
	return text(c, http.StatusOK, "cpu usage not enabled")
}

// info is the body of GET / (rules-api.md §3.3); field order as eKuiper.
type info struct {
	Version       string `json:"version"`
	OS            string `json:"os"`
	Arch          string `json:"arch"`
	UpTimeSeconds int64  `json:"upTimeSeconds"`
	CPUUsage      string `json:"cpuUsage"`
	MemoryUsed    string `json:"memoryUsed"`
	MemoryTotal   string `json:"memoryTotal"`
}

func (s *server) info(c echo.Context) error {
	used, total := memoryBytes()
	up := int64(s.opts.Now().Sub(s.opts.StartTime()).Seconds())
	if up < 0 {
		up = 0
	}
	return jsonReply(c, http.StatusOK, info{
		Version:       s.opts.Version,
		OS:            runtime.GOOS,
		Arch:          runtime.GOARCH,
		UpTimeSeconds: up,
		CPUUsage:      "0",
		MemoryUsed:    strconv.FormatUint(used, 10),
		MemoryTotal:   strconv.FormatUint(total, 10),
	})
}

// memoryBytes returns the process's resident memory and the machine's total
// memory in bytes. /proc is the truth on Linux (the Go heap alone misses
// cgo and stacks); elsewhere the Go runtime's view is the best available.
func memoryBytes() (used, total uint64) {
	used = procKB("/proc/self/status", "VmRSS:")
	total = procKB("/proc/meminfo", "MemTotal:")
	if used == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		used = ms.Sys
	}
	return used, total
}

// procKB reads a "<key> <n> kB" line of a /proc file, in bytes (0 if absent).
func procKB(path, key string) uint64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		fields := strings.Fields(line[len(key):])
		if len(fields) == 0 {
			return 0
		}
		n, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return n * 1024
	}
	return 0
}

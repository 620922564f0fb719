// Package metatable is a lookup table over EdgeX core-metadata (an Oort
// improvement): rules join readings with their device's labels, location,
// admin/operating state, properties and the profile's resource names.
//
// The app registers it when core-metadata is configured (Clients.core-metadata
// in the service configuration), for example:
//
//	if dc := svc.DeviceClient(); dc != nil {
//		reg.Register("edgex", metatable.New(dc, svc.DeviceProfileClient(), time.Minute, wallclock.Clock{}))
//	}
//
// and a table uses it with
//
//	CREATE TABLE devices () WITH (TYPE="edgex", KIND="lookup", KEY="name")
//	SELECT temp, devices.location FROM readings INNER JOIN devices ON meta(deviceName) = devices.name
package metatable

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"

	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/table"
	"github.com/oort-rules/oort/rules/value"
)

// DefaultRefresh is used when New gets a refresh period of zero or less.
const DefaultRefresh = time.Minute

// New returns the factory of core-metadata lookup tables. All tables it opens
// share one cache: a device (or profile) is fetched again once its entry is
// older than refresh. While core-metadata cannot be reached, stale entries
// keep being served; a device that does not exist gives an empty result.
// profiles may be nil: the resources column is then empty.
func New(client interfaces.DeviceClient, profiles interfaces.DeviceProfileClient, refresh time.Duration, clk clock.Clock) table.Factory {
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	c := &cache{devices: client, profiles: profiles, refresh: refresh, clk: clk,
		devs: map[string]devEntry{}, profs: map[string]profEntry{}}
	return func(_ context.Context, d table.Def) (table.Lookup, error) {
		if client == nil {
			return nil, fmt.Errorf("core-metadata is not configured (Clients.core-metadata): no device client")
		}
		if d.Key != "" && !strings.EqualFold(d.Key, "name") {
			return nil, fmt.Errorf("KEY must be name (the device name), got %q", d.Key)
		}
		return &lookup{name: d.Name, c: c}, nil
	}
}

type lookup struct {
	name string
	c    *cache
}

// Lookup returns the device named v (its text) as one row, or no row.
func (l *lookup) Lookup(ctx context.Context, v value.Value) ([]*row.Row, error) {
	if v.IsNull() {
		return nil, nil
	}
	r, err := l.c.device(ctx, value.Text(v))
	if err != nil {
		return nil, fmt.Errorf("lookup table %s: %w", l.name, err)
	}
	if r == nil {
		return nil, nil
	}
	return []*row.Row{r}, nil
}

func (l *lookup) Close() error { return nil }

type devEntry struct {
	row     *row.Row // nil: the device does not exist
	fetched time.Time
}

type profEntry struct {
	resources value.Value
	fetched   time.Time
}

type cache struct {
	devices  interfaces.DeviceClient
	profiles interfaces.DeviceProfileClient
	refresh  time.Duration
	clk      clock.Clock

	mu    sync.Mutex
	devs  map[string]devEntry
	profs map[string]profEntry
}

func (c *cache) fresh(t time.Time) bool { return c.clk.Now().Sub(t) < c.refresh }

func (c *cache) device(ctx context.Context, name string) (*row.Row, error) {
	c.mu.Lock()
	e, ok := c.devs[name]
	c.mu.Unlock()
	if ok && c.fresh(e.fetched) {
		return e.row, nil
	}
	r, err := c.fetchDevice(ctx, name)
	if err != nil {
		if ok {
			return e.row, nil // stale beats failing every row while metadata is down
		}
		return nil, err
	}
	c.mu.Lock()
	c.devs[name] = devEntry{row: r, fetched: c.clk.Now()}
	c.mu.Unlock()
	return r, nil
}

func (c *cache) fetchDevice(ctx context.Context, name string) (*row.Row, error) {
	resp, eerr := c.devices.DeviceByName(ctx, name)
	if eerr != nil {
		if eerr.Code() == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("core-metadata device %s: %w", name, eerr)
	}
	res, err := c.resources(ctx, resp.Device.ProfileName)
	if err != nil {
		return nil, err
	}
	return deviceRow(resp.Device, res), nil
}

func (c *cache) resources(ctx context.Context, profile string) (value.Value, error) {
	empty := value.FromArray([]value.Value{})
	if c.profiles == nil || profile == "" {
		return empty, nil
	}
	c.mu.Lock()
	e, ok := c.profs[profile]
	c.mu.Unlock()
	if ok && c.fresh(e.fetched) {
		return e.resources, nil
	}
	resp, eerr := c.profiles.DeviceProfileByName(ctx, profile)
	switch {
	case eerr != nil && eerr.Code() == http.StatusNotFound:
		resp.Profile.DeviceResources = nil
	case eerr != nil && ok:
		return e.resources, nil
	case eerr != nil:
		return value.NullValue, fmt.Errorf("core-metadata device profile %s: %w", profile, eerr)
	}
	names := make([]value.Value, len(resp.Profile.DeviceResources))
	for i, dr := range resp.Profile.DeviceResources {
		names[i] = value.FromString(dr.Name)
	}
	res := value.FromArray(names)
	c.mu.Lock()
	c.profs[profile] = profEntry{resources: res, fetched: c.clk.Now()}
	c.mu.Unlock()
	return res, nil
}

// deviceRow lays out the columns in a fixed order.
func deviceRow(d dtos.Device, resources value.Value) *row.Row {
	labels := make([]value.Value, len(d.Labels))
	for i, l := range d.Labels {
		labels[i] = value.FromString(l)
	}
	props := value.FromGo(d.Properties)
	if d.Properties == nil {
		props = value.FromObject(map[string]value.Value{})
	}
	return &row.Row{Cols: []row.Col{
		{Name: "name", Val: value.FromString(d.Name)},
		{Name: "profileName", Val: value.FromString(d.ProfileName)},
		{Name: "serviceName", Val: value.FromString(d.ServiceName)},
		{Name: "labels", Val: value.FromArray(labels)},
		{Name: "location", Val: value.FromGo(d.Location)},
		{Name: "adminState", Val: value.FromString(d.AdminState)},
		{Name: "operatingState", Val: value.FromString(d.OperatingState)},
		{Name: "properties", Val: props},
		{Name: "description", Val: value.FromString(d.Description)},
		{Name: "resources", Val: resources},
	}}
}

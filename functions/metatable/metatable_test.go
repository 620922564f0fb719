package metatable

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/dtos/responses"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/errors"

	"github.com/oort-rules/oort/functions/wallclock"
	"github.com/oort-rules/oort/rules/clock"
	"github.com/oort-rules/oort/rules/row"
	"github.com/oort-rules/oort/rules/table"
	"github.com/oort-rules/oort/rules/value"
)

// fakeDevices implements the one DeviceClient method the table calls; the
// embedded nil interface makes any other call fail loudly.
type fakeDevices struct {
	interfaces.DeviceClient
	mu    sync.Mutex
	devs  map[string]dtos.Device
	down  bool
	calls int
}

func (f *fakeDevices) DeviceByName(_ context.Context, name string) (responses.DeviceResponse, errors.EdgeX) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.down {
		return responses.DeviceResponse{}, errors.NewCommonEdgeX(errors.KindServiceUnavailable, "core-metadata down", nil)
	}
	d, ok := f.devs[name]
	if !ok {
		return responses.DeviceResponse{}, errors.NewCommonEdgeX(errors.KindEntityDoesNotExist, "device "+name+" not found", nil)
	}
	return responses.DeviceResponse{Device: d}, nil
}

type fakeProfiles struct {
	interfaces.DeviceProfileClient
	mu       sync.Mutex
	profiles map[string]dtos.DeviceProfile
	calls    int
}

func (f *fakeProfiles) DeviceProfileByName(_ context.Context, name string) (responses.DeviceProfileResponse, errors.EdgeX) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	p, ok := f.profiles[name]
	if !ok {
		return responses.DeviceProfileResponse{}, errors.NewCommonEdgeX(errors.KindEntityDoesNotExist, "profile not found", nil)
	}
	return responses.DeviceProfileResponse{Profile: p}, nil
}

func fixture() (*fakeDevices, *fakeProfiles) {
	dev := dtos.Device{Name: "Random-Integer-Device", ProfileName: "Random-Integer-Generator", ServiceName: "device-virtual",
		Labels: []string{"device-virtual-example"}, Location: map[string]any{"floor": 2.0, "room": "lab"},
		AdminState: "UNLOCKED", OperatingState: "UP", Properties: map[string]any{"owner": "ops"}, Description: "Example"}
	orphan := dtos.Device{Name: "Orphan", ProfileName: "Gone", ServiceName: "svc", AdminState: "LOCKED", OperatingState: "DOWN"}
	prof := dtos.DeviceProfile{DeviceProfileBasicInfo: dtos.DeviceProfileBasicInfo{Name: "Random-Integer-Generator"},
		DeviceResources: []dtos.DeviceResource{{Name: "Int8"}, {Name: "Int16"}}}
	return &fakeDevices{devs: map[string]dtos.Device{dev.Name: dev, orphan.Name: orphan}},
		&fakeProfiles{profiles: map[string]dtos.DeviceProfile{prof.Name: prof}}
}

func text(rows []*row.Row) string {
	var b strings.Builder
	for _, r := range rows {
		for _, c := range r.Cols {
			b.WriteString(c.Name + "=" + value.Text(c.Val) + ";")
		}
	}
	return b.String()
}

func open(t *testing.T, f table.Factory) table.Lookup {
	t.Helper()
	l, err := f(context.Background(), table.Def{Name: "devices", Type: "edgex", Key: "name"})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDeviceRow(t *testing.T) {
	devs, profs := fixture()
	l := open(t, New(devs, profs, time.Minute, clock.NewFake(time.Unix(0, 0))))
	defer l.Close()
	got, err := l.Lookup(context.Background(), value.FromString("Random-Integer-Device"))
	if err != nil {
		t.Fatal(err)
	}
	want := `name=Random-Integer-Device;profileName=Random-Integer-Generator;serviceName=device-virtual;` +
		`labels=["device-virtual-example"];location={"floor":2,"room":"lab"};adminState=UNLOCKED;operatingState=UP;` +
		`properties={"owner":"ops"};description=Example;resources=["Int8","Int16"];`
	if s := text(got); s != want {
		t.Fatalf("got  %s\nwant %s", s, want)
	}
	// a device whose profile is gone still resolves, with no resources
	got, err = l.Lookup(context.Background(), value.FromString("Orphan"))
	if err != nil || !strings.Contains(text(got), "labels=[];location=;") || !strings.HasSuffix(text(got), "properties={};description=;resources=[];") {
		t.Fatalf("orphan: %v %s", err, text(got))
	}
}

func TestMissingDeviceIsEmpty(t *testing.T) {
	devs, profs := fixture()
	l := open(t, New(devs, nil, time.Minute, clock.NewFake(time.Unix(0, 0))))
	for _, v := range []value.Value{value.FromString("nope"), value.NullValue} {
		got, err := l.Lookup(context.Background(), v)
		if err != nil || len(got) != 0 {
			t.Fatalf("%s: got %v %v", value.Text(v), got, err)
		}
	}
	got, _ := l.Lookup(context.Background(), value.FromString("Random-Integer-Device"))
	if r, _ := got[0].Get("resources"); len(r.Arr()) != 0 || profs.calls != 0 {
		t.Fatalf("nil profile client: resources %s", value.Text(r))
	}
}

func TestCacheAndRefresh(t *testing.T) {
	devs, profs := fixture()
	clk := clock.NewFake(time.Unix(0, 0))
	f := New(devs, profs, 10*time.Second, clk)
	a, b := open(t, f), open(t, f) // two rules share the cache
	ctx := context.Background()
	key := value.FromString("Random-Integer-Device")
	a.Lookup(ctx, key)
	b.Lookup(ctx, key)
	a.Lookup(ctx, value.FromString("nope"))
	a.Lookup(ctx, value.FromString("nope"))
	if devs.calls != 2 || profs.calls != 1 {
		t.Fatalf("calls: devices %d profiles %d", devs.calls, profs.calls)
	}
	devs.mu.Lock()
	d := devs.devs["Random-Integer-Device"]
	d.AdminState = "LOCKED"
	devs.devs[d.Name] = d
	devs.mu.Unlock()
	got, _ := a.Lookup(ctx, key)
	if s, _ := got[0].Get("adminState"); s.Str() != "UNLOCKED" {
		t.Fatal("entry refreshed before its time")
	}
	clk.Advance(time.Unix(10, 0))
	got, _ = b.Lookup(ctx, key)
	if s, _ := got[0].Get("adminState"); s.Str() != "LOCKED" {
		t.Fatal("entry not refreshed after the refresh period")
	}
	// metadata down: stale entries are served, unknown devices fail clearly
	devs.mu.Lock()
	devs.down = true
	devs.mu.Unlock()
	clk.Advance(time.Unix(30, 0))
	got, err := a.Lookup(ctx, key)
	if err != nil || len(got) != 1 {
		t.Fatalf("stale entry not served: %v", err)
	}
	_, err = a.Lookup(ctx, value.FromString("Other"))
	if err == nil || !strings.Contains(err.Error(), "lookup table devices: core-metadata device Other") || !strings.Contains(err.Error(), "down") {
		t.Fatalf("error: %v", err)
	}
}

func TestFactoryErrors(t *testing.T) {
	_, err := New(nil, nil, 0, wallclock.Clock{})(context.Background(), table.Def{Name: "d", Key: "name"})
	if err == nil || !strings.Contains(err.Error(), "core-metadata is not configured") {
		t.Fatalf("nil client: %v", err)
	}
	devs, _ := fixture()
	_, err = New(devs, nil, 0, wallclock.Clock{})(context.Background(), table.Def{Name: "d", Key: "id"})
	if err == nil || !strings.Contains(err.Error(), `KEY must be name`) {
		t.Fatalf("bad key: %v", err)
	}
	reg := table.NewRegistry()
	reg.Register("edgex", New(devs, nil, 0, wallclock.Clock{}))
	l, err := reg.Open(context.Background(), table.Def{Name: "d", Type: "EdgeX"})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

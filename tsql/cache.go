package tsql

import "sync"

// parsed is a batch that parsed and resolved: the console sends the same health batch to every instance every
// few seconds, so its text is compiled once. The cached AST is only read afterwards (variable slots are set
// during resolution, before it is stored), so concurrent sessions can share it.
type parsed struct {
	batch   *Batch
	infos   []slotInfo
	globals []string
}

// batchCache is a small bounded cache of parsed batches keyed by their text.
type batchCache struct {
	mu    sync.Mutex
	m     map[string]*parsed
	order []string
}

// Cache bounds: batches larger than maxCachedText are parsed every time, and at most maxCached are kept.
const (
	maxCached     = 64
	maxCachedText = 64 << 10
)

var compiled = &batchCache{m: map[string]*parsed{}}

// get returns the parsed batch for text when the Host still knows every @@ variable it reads.
func (c *batchCache) get(text string, host Host) (*parsed, bool) {
	if len(text) > maxCachedText {
		return nil, false
	}
	c.mu.Lock()
	p, ok := c.m[text]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	for _, g := range p.globals {
		if _, known := host.Global(g); !known {
			return nil, false
		}
	}
	return p, true
}

// put stores a parsed batch, forgetting the oldest one when full.
func (c *batchCache) put(text string, p *parsed) {
	if len(text) > maxCachedText {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[text]; ok {
		return
	}
	if len(c.order) >= maxCached {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[text] = p
	c.order = append(c.order, text)
}

package sandbox

import (
	"net/http"
	"strconv"
)

// objectRoutes are the handlers of a resource with the usual REST v3
// shapes: GET (list) and POST on the collection, GET, PUT and DELETE on
// /{ID}. A nil handler answers 405 with the methods that are allowed.
type objectRoutes struct {
	list   func(w http.ResponseWriter, r *http.Request)
	create func(w http.ResponseWriter, r *http.Request)
	get    func(w http.ResponseWriter, id int64)
	update func(w http.ResponseWriter, r *http.Request, id int64)
	remove func(w http.ResponseWriter, id int64)
	// ref resolves an {ID} that is not a number, for the resources whose
	// unique key Mailjet also accepts there (a webhook's
	// "EventType|IsBackup", a sender's Email). nil: IDs only.
	ref func(ref string) (int64, bool)
}

func serveObjects(w http.ResponseWriter, r *http.Request, rest []string, h objectRoutes) {
	switch {
	case len(rest) == 0:
		switch {
		case r.Method == http.MethodGet && h.list != nil:
			h.list(w, r)
		case r.Method == http.MethodPost && h.create != nil:
			h.create(w, r)
		default:
			allow := []string{http.MethodGet}
			if h.create != nil {
				allow = append(allow, http.MethodPost)
			}
			methodNotAllowed(w, allow)
		}
	case len(rest) == 1:
		id, ok := h.resolve(rest[0])
		if !ok {
			writeMailjetError(w, http.StatusNotFound, "", "Object not found")
			return
		}
		switch {
		case r.Method == http.MethodGet && h.get != nil:
			h.get(w, id)
		case r.Method == http.MethodPut && h.update != nil:
			h.update(w, r, id)
		case r.Method == http.MethodDelete && h.remove != nil:
			h.remove(w, id)
		default:
			allow := []string{http.MethodGet}
			if h.update != nil {
				allow = append(allow, http.MethodPut)
			}
			if h.remove != nil {
				allow = append(allow, http.MethodDelete)
			}
			methodNotAllowed(w, allow)
		}
	default:
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
	}
}

// resolve turns {ID} into an ID: a positive number, or what h.ref finds.
func (h objectRoutes) resolve(ref string) (int64, bool) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return id, id > 0
	}
	if h.ref == nil {
		return 0, false
	}
	return h.ref(ref)
}

// methodNotAllowed answers 405, naming the methods that are allowed.
func methodNotAllowed(w http.ResponseWriter, allow []string) {
	setAllow(w, allow...)
	writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
}

// writeUpdated answers a PUT as Mailjet does: 304 with no body when it
// changed nothing ("Content not changed"), else 200 with the record.
func writeUpdated[J any](w http.ResponseWriter, changed bool, out J) {
	if !changed {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeEnvelope(w, http.StatusOK, []J{out}, 1)
}

// deleted answers a successful DELETE as Mailjet does: 204, no body.
func deleted(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// maxObjects bounds the webhooks, parse routes and senders a test can
// create.
const maxObjects = 1000

// owner is a record that belongs to one API key (a webhook, a parse
// route): the key that made it is the only one to see it.
type owner interface {
	objectID() int64
	ownerKeyID() int64
}

type ownedObject[J any] interface {
	owner
	toJSON() J
}

// findOwned returns the record id of key keyID in items. Call with s.mu
// held.
func findOwned[R owner](items []R, keyID, id int64) (R, bool) {
	for _, it := range items {
		if it.objectID() == id && it.ownerKeyID() == keyID {
			return it, true
		}
	}
	var none R
	return none, false
}

// owned describes a resource of such records.
type owned[R ownedObject[J], J any] struct {
	items  *[]R // guarded by the Server's lock
	filter filterFunc[J]
	sorts  sortKeys[J]
	create func(w http.ResponseWriter, r *http.Request)
	update func(w http.ResponseWriter, r *http.Request, id int64)
	ref    func(ref string) (int64, bool)
}

// ownedRoutes serves the list, get and delete of o's records for caller,
// and o's create, update and ref.
func ownedRoutes[R ownedObject[J], J any](s *Server, caller keyRecord, o owned[R, J]) objectRoutes {
	return objectRoutes{
		list: func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			var all []J
			for _, it := range *o.items {
				if it.ownerKeyID() == caller.ID {
					all = append(all, it.toJSON())
				}
			}
			s.mu.Unlock()
			serveList(w, r, all, o.filter, o.sorts)
		},
		create: o.create,
		update: o.update,
		ref:    o.ref,
		get: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			it, ok := findOwned(*o.items, caller.ID, id)
			var out J
			if ok {
				out = it.toJSON()
			}
			s.mu.Unlock()
			if !ok {
				writeMailjetError(w, http.StatusNotFound, "", "Object not found")
				return
			}
			writeEnvelope(w, http.StatusOK, []J{out}, 1)
		},
		remove: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			defer s.mu.Unlock()
			for i, it := range *o.items {
				if it.objectID() == id && it.ownerKeyID() == caller.ID {
					*o.items = append((*o.items)[:i], (*o.items)[i+1:]...)
					deleted(w)
					return
				}
			}
			writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		},
	}
}

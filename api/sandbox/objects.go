package sandbox

import (
	"net/http"
	"strconv"
)

// objectRoutes are the handlers of a resource with the usual REST v3
// shapes: GET and POST on the collection, GET and DELETE on /{ID}. A nil
// handler answers 405 with the methods that are allowed.
type objectRoutes struct {
	list   func(w http.ResponseWriter, r *http.Request)
	create func(w http.ResponseWriter, r *http.Request)
	get    func(w http.ResponseWriter, id int64)
	remove func(w http.ResponseWriter, id int64)
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
			setAllow(w, allow...)
			writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
		}
	case len(rest) == 1:
		id, err := strconv.ParseInt(rest[0], 10, 64)
		if err != nil || id <= 0 {
			writeMailjetError(w, http.StatusNotFound, "", "Object not found")
			return
		}
		switch {
		case r.Method == http.MethodGet && h.get != nil:
			h.get(w, id)
		case r.Method == http.MethodDelete && h.remove != nil:
			h.remove(w, id)
		default:
			allow := []string{http.MethodGet}
			if h.remove != nil {
				allow = append(allow, http.MethodDelete)
			}
			setAllow(w, allow...)
			writeMailjetError(w, http.StatusMethodNotAllowed, "", "Method not allowed")
		}
	default:
		writeMailjetError(w, http.StatusNotFound, "", "Object not found")
	}
}

// page cuts one page out of all with the Limit and Offset of r, or writes
// a 400 and returns false.
func page[T any](w http.ResponseWriter, r *http.Request, all []T) ([]T, bool) {
	q := r.URL.Query()
	limit, err := intParam(q, "Limit", defaultLimit)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return nil, false
	}
	if limit == 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	offset, err := intParam(q, "Offset", 0)
	if err != nil {
		writeMailjetError(w, http.StatusBadRequest, "", err.Error())
		return nil, false
	}
	p := all[min(offset, len(all)):]
	return p[:min(limit, len(p))], true
}

// deleted answers a successful DELETE as Mailjet does: 204, no body.
func deleted(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// maxObjects bounds the webhooks and parse routes a test can create.
const maxObjects = 1000

// ownedObject is a record that belongs to one API key (a webhook, a
// parse route): the key that made it is the only one to see it.
type ownedObject[J any] interface {
	objectID() int64
	ownerKeyID() int64
	toJSON() J
}

// ownedRoutes serves the list, get and delete of such records in *items
// for caller; create makes one. The Server's lock guards *items.
func ownedRoutes[R ownedObject[J], J any](s *Server, items *[]R, caller keyRecord,
	create func(w http.ResponseWriter, r *http.Request)) objectRoutes {
	return objectRoutes{
		list: func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			var all []J
			for _, it := range *items {
				if it.ownerKeyID() == caller.ID {
					all = append(all, it.toJSON())
				}
			}
			s.mu.Unlock()
			if p, ok := page(w, r, all); ok {
				writeEnvelope(w, http.StatusOK, p, len(all))
			}
		},
		create: create,
		get: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			var out []J
			for _, it := range *items {
				if it.objectID() == id && it.ownerKeyID() == caller.ID {
					out = append(out, it.toJSON())
				}
			}
			s.mu.Unlock()
			if len(out) == 0 {
				writeMailjetError(w, http.StatusNotFound, "", "Object not found")
				return
			}
			writeEnvelope(w, http.StatusOK, out[:1], 1)
		},
		remove: func(w http.ResponseWriter, id int64) {
			s.mu.Lock()
			defer s.mu.Unlock()
			for i, it := range *items {
				if it.objectID() == id && it.ownerKeyID() == caller.ID {
					*items = append((*items)[:i], (*items)[i+1:]...)
					deleted(w)
					return
				}
			}
			writeMailjetError(w, http.StatusNotFound, "", "Object not found")
		},
	}
}

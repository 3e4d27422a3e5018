// gcstress core — an object's life: allocation, incref, decref and deallocation.
#pragma once

#include "core/env.h"
#include "core/object.h"

namespace gcs::core {

class Vm;

// Allocates an object of `kind` in `owner`'s heap (refcount 1, the caller's reference), holding a
// strong reference to owner's type object for the kind. The caller holds owner's lock.
Object* Allocate(Env& env, const ThreadState* ts, Vm& owner, ObjectKind kind);

// Refcount changes. The caller holds the lock of the object's VM (faults break this on purpose).
// They read the object's header whatever its state, as the real systems do: a change to a freed
// object is reported (incref/decref of a freed id) and then carried out.
void Incref(Env& env, const ThreadState* ts, Object* o, const char* site);
// Decref; at zero the object is deallocated: finalizer (unless the collector already ran it),
// weak references cleared, registry entries targeting it queued, references released (which may
// cascade, iteratively), removed from its heap, freed.
void Decref(Env& env, const ThreadState* ts, Object* o, const char* site);

// Stores a strong reference in o's field `index` (incref first, then drop the old value) or
// clears it; reports the edge events.
void SetEdge(Env& env, const ThreadState* ts, Object* o, int index, Object* to, const char* site);
void ClearEdge(Env& env, const ThreadState* ts, Object* o, int index, const char* site);

// Runs the finalizer of `o` (an event, for the kinds the core has) unless already run by the
// collector.
void Finalize(Env& env, const ThreadState* ts, Object* o, const char* site);

}  // namespace gcs::core

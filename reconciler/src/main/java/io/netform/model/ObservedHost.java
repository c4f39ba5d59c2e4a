package io.netform.model;

/** A host as observed: what netform owns, fully, and the foreign objects it must not collide with. */
public record ObservedHost(HostModel owned, ForeignObjects foreign) {

  public static ObservedHost emptyHost() {
    return new ObservedHost(HostModel.empty(), ForeignObjects.none());
  }
}

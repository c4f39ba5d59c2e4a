package io.netform.model;

import java.util.Map;

/**
 * What a host holds of names that netform does not own: name files in netform's places that lack
 * its mark ({@code files}: the key their {@link NameFileObject} would have → the file's path), which it must not
 * overwrite, and the host's own resolver configuration.
 */
public record ForeignNames(Map<String, String> files, HostResolvers resolvers) {

  public static final ForeignNames UNKNOWN = new ForeignNames(Map.of(), HostResolvers.UNKNOWN);

  public ForeignNames {
    files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
  }
}

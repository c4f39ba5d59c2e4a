package io.netform.model;

import java.util.List;
import java.util.Map;

/**
 * What a host holds of names that netform does not own: name files in netform's places that lack
 * its mark ({@code files}: the key their {@link NameFileObject} would have → the file's path), which it must not
 * overwrite; the host's own resolver configuration; and the containers' places under the etc-netns
 * directory that are no directory netform may write in ({@code unusable}: container → what is there).
 */
public record ForeignNames(Map<String, String> files, HostResolvers resolvers, Map<String, Unusable> unusable) {

  public static final ForeignNames UNKNOWN = new ForeignNames(Map.of(), HostResolvers.UNKNOWN);

  /**
   * A container's entry under the etc-netns directory that netform neither writes in nor deletes
   * from: the {@code container}'s, at {@code path}; {@code what} it is, in a user's words ("a
   * directory writable by group (mode 0775)", "a symbolic link to /x"); whether a {@code directory};
   * the command that makes it netform's place again ({@code fix}: chown or chmod for a directory,
   * mv for a file or link); and netform's files in it ({@code marked}: "resolv.conf", "hosts",
   * those whose first line is its mark for the container).
   */
  public record Unusable(String container, String path, String what, boolean directory, String fix, List<String> marked) {

    public Unusable {
      marked = List.copyOf(marked);
    }

    /** Why netform neither writes nor deletes there. */
    public String why() {
      return directory
          ? "netform writes and deletes only in a directory no other user may change (they could put a file or a link "
              + "where it is about to write or delete)"
          : "netform writes a container's files only in a directory of its own";
    }
  }

  public ForeignNames {
    files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
    unusable = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unusable));
  }

  /** Without what the places are (a snapshot keeps only the files). */
  public ForeignNames(Map<String, String> files, HostResolvers resolvers) {
    this(files, resolvers, Map.of());
  }
}

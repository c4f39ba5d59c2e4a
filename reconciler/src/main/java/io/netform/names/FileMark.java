package io.netform.names;

import io.netform.model.Owner;
import java.util.Optional;

/**
 * The first line of every file netform writes for names, naming its owner. A file whose first
 * line is not one is someone else's: netform neither rewrites nor deletes it.
 */
public final class FileMark {

  private static final String PREFIX = "# netform: ";
  private static final String SUFFIX = " (written by netform: edits are put back; change the desired state instead)";

  private FileMark() {}

  public static String line(Owner owner) {
    return PREFIX + owner + SUFFIX;
  }

  /** The text of a file: the mark, then {@code body}. */
  public static String file(Owner owner, String body) {
    return line(owner) + "\n" + body;
  }

  /** The owner a file's text names on its first line, if it is netform's. */
  public static Optional<Owner> owner(String text) {
    if (!text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = text.indexOf('\n');
    String first = end < 0 ? text : text.substring(0, end);
    String rest = first.substring(PREFIX.length());
    int space = rest.indexOf(' ');
    try {
      return Optional.of(Owner.parse(space < 0 ? rest : rest.substring(0, space)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

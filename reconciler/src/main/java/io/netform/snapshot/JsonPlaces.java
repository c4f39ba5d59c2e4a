package io.netform.snapshot;

import io.netform.desired.load.InputFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/**
 * A JSON file netform reads (a snapshot, a saved plan) and its text, which error messages take the
 * line and column of an entry from: the tree Jackson builds does not keep them.
 */
public record JsonPlaces(Path file, String text) {

  /**
   * The file read as other input files are ({@link InputFiles}); one that is not text is a
   * {@link SnapshotException} at the place it stops being text: {@code notText}, which says
   * what it is not and how to make one.
   */
  public static JsonPlaces read(Path file, String notText) throws IOException {
    try {
      return new JsonPlaces(file, InputFiles.text(file, InputFiles.OWN_FILE_BYTES));
    } catch (InputFiles.Unreadable e) {
      throw new SnapshotException(e.notTextAt().map(at -> at + ": " + notText).orElse(e.getMessage()));
    }
  }

  /** How a message names entry {@code index} of the array at {@code path}: {@code FILE:LINE:COL: foreign.x[2]}. */
  public String entry(int index, String... path) {
    return file + locate(text, index, path) + ": " + String.join(".", path) + "[" + index + "]";
  }

  /** The strings of {@code array}, the array at {@code path}, each by {@code parse}; one it refuses is not {@code what}. */
  public <T> List<T> parsed(JsonNode array, Function<String, Optional<T>> parse, String what, String... path) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode n = array.get(i);
      Optional<T> parsed = n.isString() ? parse.apply(n.asString()) : Optional.empty();
      if (parsed.isEmpty()) {
        throw new SnapshotException(entry(i, path) + ": " + (n.isString() ? "\"" + n.asString() + "\"" : n) + " is not "
            + what);
      }
      out.add(parsed.get());
    }
    return out;
  }

  /** The strings of {@code array}, the array at {@code path}. */
  public List<String> strings(JsonNode array, String... path) {
    return parsed(array, Optional::of, "a string", path);
  }

  /** {@code :LINE:COLUMN} of a place Jackson gives, to follow a file's name; empty for none. */
  public static String at(TokenStreamLocation l) {
    return l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
  }

  /**
   * Line and column of element {@code index} of the array at {@code path} (property names from the
   * top object), found by re-reading the text with locations, which the tree does not keep; empty
   * where the text does not have it.
   */
  private static String locate(String text, int index, String... path) {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      parser.nextToken();
      for (String name : path) {
        if (!toProperty(parser, name)) {
          return "";
        }
      }
      if (!parser.hasToken(JsonToken.START_ARRAY)) {
        return "";
      }
      JsonToken t = parser.nextToken();
      for (int i = 0; i < index && t != JsonToken.END_ARRAY; i++) {
        parser.skipChildren();
        t = parser.nextToken();
      }
      return t == JsonToken.END_ARRAY ? "" : at(parser.currentTokenLocation());
    } catch (JacksonException e) {
      return ""; // the message without a location still names the entry
    }
  }

  /** Moves {@code parser} from the start of an object to the value of its property {@code name}; false if none. */
  private static boolean toProperty(JsonParser parser, String name) {
    if (!parser.hasToken(JsonToken.START_OBJECT)) {
      return false;
    }
    for (String n = parser.nextName(); n != null; n = parser.nextName()) {
      parser.nextToken();
      if (n.equals(name)) {
        return true;
      }
      parser.skipChildren();
    }
    return false;
  }
}

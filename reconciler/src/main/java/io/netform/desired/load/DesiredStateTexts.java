package io.netform.desired.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The texts a desired state was read from, in the order read, each under the name its diagnostics
 * use; {@code lock}: the lock file's, when there was one. Loading them again
 * ({@link DesiredStateLoader#load(DesiredStateTexts)}) gives the same desired state without
 * reading the disk: what a saved plan carries, as Terraform's plan file carries its configuration.
 */
public record DesiredStateTexts(List<Text> files, Optional<Text> lock) {

  /** One file's text and the name it was read by. */
  public record Text(String name, String text) {}

  public static final DesiredStateTexts NONE = new DesiredStateTexts(List.of(), Optional.empty());

  public DesiredStateTexts {
    files = List.copyOf(files);
  }

  /** Every text by its name, the lock's too (for showing the lines diagnostics point at). */
  public Map<String, String> byName() {
    Map<String, String> out = new LinkedHashMap<>();
    files.forEach(t -> out.put(t.name(), t.text()));
    lock.ifPresent(t -> out.put(t.name(), t.text()));
    return out;
  }
}

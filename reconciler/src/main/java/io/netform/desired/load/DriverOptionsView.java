package io.netform.desired.load;

import java.util.List;

/** Read-only view of the Docker driver options netform accepts, for docs and help output. */
public final class DriverOptionsView {

  private DriverOptionsView() {}

  public static List<String> keys() {
    return DriverOptions.knownKeys();
  }
}

package io.netform.imports;

/**
 * Input an import cannot read at all (not JSON, not the shape Docker or Compose writes): one line
 * that names the file, where in it (line and column) and what is wrong. Anything readable but not
 * importable is a note instead, so one odd network does not stop the rest.
 */
public final class ImportError extends RuntimeException {

  public ImportError(String message) {
    super(message);
  }
}

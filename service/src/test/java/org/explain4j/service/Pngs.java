package org.explain4j.service;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Valid RGB PNG files of any size, written scanline by scanline (the PNG specification's chunks,
 * CRCs and zlib stream), so that a test can make a 30000x30000 image without holding its pixels.
 */
final class Pngs {
  private Pngs() {}

  /** A {@code width x height} 8-bit RGB PNG: black, or a pattern that compresses poorly enough to cost a real decode. */
  static byte[] rgb(int width, int height, boolean pattern) {
    try {
      ByteArrayOutputStream idat = new ByteArrayOutputStream();
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
        byte[] row = new byte[1 + 3 * width]; // filter byte 0 (none), then R, G, B per pixel
        for (int y = 0; y < height; y++) {
          if (pattern) {
            for (int x = 0; x < 3 * width; x++) {
              row[1 + x] = (byte) (x * 7 + y * 13);
            }
          }
          z.write(row);
        }
      } finally {
        deflater.end();
      }
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(header);
      h.writeInt(width);
      h.writeInt(height);
      h.write(new byte[] {8, 2, 0, 0, 0}); // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace
      chunk(file, "IHDR", header.toByteArray());
      chunk(file, "IDAT", idat.toByteArray());
      chunk(file, "IEND", new byte[0]);
      return file.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream file, String type, byte[] data) throws IOException {
    DataOutputStream out = new DataOutputStream(file);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}

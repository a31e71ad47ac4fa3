package org.jpeer.rest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal HTTP/1.1 client on one keep-alive socket, for requests java.net.http refuses to send
 * (malformed URIs) and for load measurements where the client must cost little.
 */
final class RawHttp implements AutoCloseable {
  record Reply(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  static byte[] request(String method, String target, String body) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + content.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(content, 0, all, h.length, content.length);
    return all;
  }

  Reply send(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    return read();
  }

  private Reply read() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
    }
    return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

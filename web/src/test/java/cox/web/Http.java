package cox.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP for the tests: java.net.http for ordinary requests, a raw socket where the bytes sent must be exactly ours. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
    }

    static Response get(URI base, String pathAndQuery) throws IOException, InterruptedException {
        return send(base, "GET", pathAndQuery);
    }

    static Response send(URI base, String method, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    static byte[] getBytes(URI base, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + pathAndQuery + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.body();
    }

    /**
     * Sends exactly {@code GET target HTTP/1.1} with the given Host header over a socket.
     *
     * @return the status code and the rest of the response
     */
    static Response raw(URI base, String target, String host) throws IOException {
        return raw(base, target, host, "");
    }

    /** As {@link #raw(URI, String, String)}, with {@code headers} ({@code "Name: value\r\n"} lines) sent after Host. */
    static Response raw(URI base, String target, String host, String headers) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int body = text.indexOf("\r\n\r\n");
            return new Response(status, body < 0 ? "" : text.substring(body + 4), null);
        }
    }
}

package com.returnbridge.sandbox.loop;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A throwaway HTTP endpoint that records every webhook it receives. */
final class WebhookCapture implements AutoCloseable {

    record Delivery(String path, String signature, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    WebhookCapture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Loop-Signature"), body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Waits for exactly {@code count} deliveries, then briefly for strays so duplicates would show. */
    List<Delivery> await(int count, Duration timeout) throws InterruptedException {
        List<Delivery> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < count) {
            Delivery d = deliveries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (d == null) {
                break;
            }
            got.add(d);
        }
        Delivery extra = deliveries.poll(150, TimeUnit.MILLISECONDS);
        if (extra != null) {
            got.add(extra);
        }
        return got;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

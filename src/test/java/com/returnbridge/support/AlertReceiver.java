package com.returnbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The alert hook's other end for a test base: an HTTP server on loopback that keeps, as text, every alert the service
 * posts. A base holds one in a static field and points {@code returnbridge.alerts.webhook-url} at {@link #url()}.
 */
public final class AlertReceiver {

    private final ConcurrentLinkedQueue<String> alerts = new ConcurrentLinkedQueue<>();
    private final com.sun.net.httpserver.HttpServer server;

    private AlertReceiver(com.sun.net.httpserver.HttpServer server) {
        this.server = server;
    }

    public static AlertReceiver start() {
        try {
            var server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), 0), 0);
            AlertReceiver receiver = new AlertReceiver(server);
            server.createContext("/", exchange -> {
                receiver.alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    /** Every alert received so far, oldest first; a test may clear it. */
    public ConcurrentLinkedQueue<String> alerts() {
        return alerts;
    }
}

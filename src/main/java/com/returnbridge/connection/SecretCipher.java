package com.returnbridge.connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/**
 * Encrypts connection secrets at rest with AES-256-GCM (Spring Security Crypto's {@link AesBytesEncryptor}, a fresh
 * 16-byte IV per value, authenticated). Stored form: {@code v1:<key id>:<base64(iv ‖ ciphertext ‖ tag)>}, where the
 * key id is the first 8 hex digits of SHA-256(key), so a value says which key it needs.
 *
 * <p>The key is {@code returnbridge.secrets.key} (base64 of 32 random bytes). Without one, a key is generated once
 * into {@code ./data/secrets.key} with a warning (fine for a first local run, not for production). Rotation: set the
 * new key as {@code returnbridge.secrets.key} and the old one in {@code returnbridge.secrets.previous-keys}; at start
 * every stored secret is re-encrypted with the new key, after which the old key can be dropped.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String PREFIX = "v1:";

    private record Key(String id, BytesEncryptor encryptor) {
    }

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

    public SecretCipher(@Value("${returnbridge.secrets.key:}") String key,
                        @Value("${returnbridge.secrets.previous-keys:}") List<String> previousKeys,
                        @Value("${returnbridge.secrets.key-file:./data/secrets.key}") String keyFile) {
        String effective = key == null || key.isBlank() ? generatedKey(Path.of(keyFile)) : key.trim();
        this.current = key(effective);
        byId.put(current.id(), current);
        for (String previous : previousKeys == null ? List.<String>of() : previousKeys) {
            if (previous != null && !previous.isBlank()) {
                Key k = key(previous.trim());
                byId.putIfAbsent(k.id(), k);
            }
        }
    }

    /** Null stays null; anything else becomes {@code v1:<key id>:<base64>}. */
    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        byte[] sealed = current.encryptor().encrypt(plain.getBytes(StandardCharsets.UTF_8));
        return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(sealed);
    }

    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !stored.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored secret is not in the encrypted format");
        }
        Key k = byId.get(parts[1]);
        if (k == null) {
            throw new IllegalStateException("a stored secret was encrypted with key " + parts[1]
                    + ", which is neither returnbridge.secrets.key nor in returnbridge.secrets.previous-keys");
        }
        return new String(k.encryptor().decrypt(Base64.getDecoder().decode(parts[2])), StandardCharsets.UTF_8);
    }

    /** True when the value was sealed with an older key and should be re-encrypted. */
    public boolean needsRotation(String stored) {
        return stored != null && !stored.startsWith(PREFIX + current.id() + ":");
    }

    public String currentKeyId() {
        return current.id();
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static Key key(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("returnbridge.secrets.key must be base64 (e.g. openssl rand -base64 32)");
        }
        if (raw.length != 32 && raw.length != 16) {
            throw new IllegalStateException("returnbridge.secrets.key must be 32 bytes (base64 of 32 random bytes)");
        }
        SecretKey secretKey = new SecretKeySpec(raw, "AES");
        BytesEncryptor encryptor = new AesBytesEncryptor(secretKey, KeyGenerators.secureRandom(16),
                AesBytesEncryptor.CipherAlgorithm.GCM);
        return new Key(id(raw), encryptor);
    }

    private static String id(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String generatedKey(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            String key = newKey();
            Files.writeString(file, key + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException | IOException ignored) {
                // not a POSIX file system: the file keeps the default permissions
            }
            log.warn("No returnbridge.secrets.key set: generated a key into {}. Connection secrets are encrypted with "
                    + "it; keep the file with the database (losing it loses the secrets) and set "
                    + "returnbridge.secrets.key in production.", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}

package io.veza.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One platform for every end-to-end class: started by the first that needs it, stopped when the whole run ends. */
final class SharedPlatform implements BeforeAllCallback {
    private static Platform platform;

    @Override
    public void beforeAll(ExtensionContext context) {
        platform = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Platform.class, k -> start(), Platform.class);
    }

    static Platform get() {
        return platform;
    }

    private static Platform start() {
        try {
            return new Platform().up();
        } catch (Exception e) {
            throw new IllegalStateException("./veza up failed", e);
        }
    }
}

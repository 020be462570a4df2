package tally.storage;

import tally.model.Fatal;

/**
 * Child process of {@link FatalTest}: a background task of the storage runs out of memory. The process must end
 * with status 3 and one line saying so, not live on with a dead task; a thread that dies of one likewise.
 */
public final class FatalChild {
    public static void main(String[] args) throws Exception {
        Fatal.installUncaughtHandler();
        if (args[0].equals("task")) {
            StorageMaintenance m = new StorageMaintenance("child-lane", () -> { })
                    .add("doomed", () -> true, () -> {
                        throw new OutOfMemoryError("Java heap space (thrown by the test)");
                    });
            m.start();
        } else {
            Thread t = new Thread(() -> {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }, "worker");
            t.start();
        }
        Thread.sleep(30_000);
        System.out.println("still alive");
    }
}

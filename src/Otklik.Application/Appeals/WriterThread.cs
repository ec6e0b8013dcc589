using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Otklik.Application.Appeals;

/// <summary>
/// A thread of its own for the embedded store's single writer, as a task scheduler: the writer's loop is
/// async (it waits for work and for the store's write gate), and every continuation of it comes back to
/// this thread, whose scheduling priority can then be its own. On two cores the request threads and the
/// load outnumber the cores, and a writer among them was runnable but not running for a third of the time
/// it held the store (its processor time 68 % of its busy time under bench/load/run.sh's load) while
/// every appeal waited for it; ahead of them it keeps up with the requests instead of queueing them.
/// </summary>
internal sealed partial class WriterThread : TaskScheduler, IDisposable
{
    // Never disposed: the thread may still be taking the last of it when Dispose lets it end.
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread _thread;

    /// <param name="niceness">
    /// Added to the nice value the thread starts with (the server's): negative runs it ahead of the
    /// server's other threads. Raising a priority needs the right to (root, CAP_SYS_NICE, or an
    /// RLIMIT_NICE that allows it); without it the thread keeps the server's (<see cref="Refused"/>).
    /// </param>
    public WriterThread(string name, int niceness)
    {
        using var started = new ManualResetEventSlim();
        _thread = new Thread(() =>
        {
            (Nice, Refused) = AdjustNice(niceness);
            started.Set();
            foreach (var task in _tasks.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        _thread.Start();
        started.Wait();
    }

    /// <summary>The thread's nice value, as the system has it (0 where there are none).</summary>
    public int Nice { get; private set; }

    /// <summary>The system refused the nice value asked for; the error it gave.</summary>
    public int? Refused { get; private set; }

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    /// <summary>Lets the thread end once what is queued has run (call after the writer's loop has ended).</summary>
    public void Dispose() => _tasks.CompleteAdding();

    private static (int Nice, int? Refused) AdjustNice(int niceness)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, null);
        }
        // On Linux a nice value is each thread's own: PRIO_PROCESS with a thread's id reads or changes that thread alone.
        var tid = GetTid();
        var current = GetPriority(PrioProcess, tid);
        if (current == -1 && Marshal.GetLastPInvokeError() != 0)
        {
            return (0, Marshal.GetLastPInvokeError());
        }
        if (niceness == 0)
        {
            return (current, null);
        }
        // A new thread takes the nice value of the thread that starts it, and the runtime starts its pool's
        // threads from whichever thread asks for one, this one included: those start at 0 instead.
        var policy = 0;
        if (SetScheduler(tid, SchedOther | SchedResetOnFork, ref policy) != 0)
        {
            return (current, Marshal.GetLastPInvokeError());
        }
        var wanted = Math.Clamp(current + niceness, -20, 19);
        return SetPriority(PrioProcess, tid, wanted) == 0 ? (wanted, null) : (current, Marshal.GetLastPInvokeError());
    }

    private const int PrioProcess = 0;
    private const int SchedOther = 0;
    private const int SchedResetOnFork = 0x40000000;

    /// <param name="priority">struct sched_param: its one field, 0 for SCHED_OTHER.</param>
    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref int priority);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}

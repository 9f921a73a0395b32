using Hangfire;
using Hangfire.Common;
using Hangfire.Mongo;
using Hangfire.Mongo.Migration.Strategies;
using Hangfire.Mongo.Migration.Strategies.Backup;
using Hangfire.States;
using Hangfire.Storage;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Compatibility;

/// <summary>
/// Hangfire.Mongo 1.17.1 on an embedded server of its own in replica-set mode (no capped collections), each test on a
/// fresh database, with both ways Hangfire notices queued jobs: polling, and its default, watching a change stream.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HangfireMongoTests(ReplicaSetServerFixture server) : IClassFixture<ReplicaSetServerFixture>
{
    public static TheoryData<CheckQueuedJobsStrategy> Strategies() => new(CheckQueuedJobsStrategy.Poll, CheckQueuedJobsStrategy.Watch);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Strategies))]
    public async Task A_thousand_enqueued_jobs_all_succeed(CheckQueuedJobsStrategy strategy)
    {
        var ct = TestContext.Current.CancellationToken;
        using var hangfire = Start(strategy, workers: 8);
        var keys = Enumerable.Range(0, 1000).Select(i => $"{Guid.NewGuid():N}-{i}").ToList();
        // Enqueued from 8 threads at once, as a web app's requests would; the job ids keep the keys' order.
        var ids = new string[keys.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, keys.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            (i, _) =>
            {
                var key = keys[i];
                ids[i] = hangfire.Client.Enqueue(() => HangfireJobs.Record(key));
                return ValueTask.CompletedTask;
            });

        await Probe.UntilAsync(() => keys.All(k => HangfireJobs.ExecutionsOf(k) >= 1), Timeout,
            () => $"{keys.Count(k => HangfireJobs.ExecutionsOf(k) >= 1)} of 1000 jobs ran", ct);
        await Probe.UntilAsync(() => hangfire.Monitoring.SucceededListCount() == 1000, Timeout,
            () => $"{hangfire.Monitoring.SucceededListCount()} succeeded, {hangfire.Monitoring.EnqueuedCount("default")} enqueued, {hangfire.Monitoring.FailedCount()} failed", ct);
        Assert.All(ids, id => Assert.Equal(SucceededState.StateName, hangfire.StateOf(id)));
        Assert.All(keys, k => Assert.Equal(1, HangfireJobs.ExecutionsOf(k)));
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Strategies))]
    public async Task A_job_that_fails_twice_is_retried_and_succeeds(CheckQueuedJobsStrategy strategy)
    {
        var ct = TestContext.Current.CancellationToken;
        using var hangfire = Start(strategy);
        var key = Guid.NewGuid().ToString("N");
        var id = hangfire.Client.Enqueue(() => HangfireJobs.FailTwiceThenSucceed(key));

        await Probe.UntilAsync(() => hangfire.StateOf(id) == SucceededState.StateName, Timeout,
            () => $"job {id} is {hangfire.StateOf(id)} after {HangfireJobs.ExecutionsOf(key)} execution(s)", ct);
        Assert.Equal(3, HangfireJobs.ExecutionsOf(key));
        var history = hangfire.Monitoring.JobDetails(id).History.Select(h => h.StateName).ToList();
        Assert.Equal(2, history.Count(s => s == FailedState.StateName));
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Strategies))]
    public async Task A_scheduled_job_runs_after_its_delay(CheckQueuedJobsStrategy strategy)
    {
        var ct = TestContext.Current.CancellationToken;
        using var hangfire = Start(strategy);
        var key = Guid.NewGuid().ToString("N");
        var id = hangfire.Client.Schedule(() => HangfireJobs.Record(key), TimeSpan.FromSeconds(1));
        Assert.Equal(ScheduledState.StateName, hangfire.StateOf(id));

        await Probe.UntilAsync(() => hangfire.StateOf(id) == SucceededState.StateName, Timeout,
            () => $"job {id} is {hangfire.StateOf(id)}", ct);
        Assert.Equal(1, HangfireJobs.ExecutionsOf(key));
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Strategies))]
    public async Task A_recurring_job_runs_on_its_schedule(CheckQueuedJobsStrategy strategy)
    {
        var ct = TestContext.Current.CancellationToken;
        using var hangfire = Start(strategy);
        var key = Guid.NewGuid().ToString("N");
        var recurringId = "every-second-" + key;
        hangfire.Recurring.AddOrUpdate(recurringId, Job.FromExpression(() => HangfireJobs.Record(key)), "* * * * * *", new RecurringJobOptions());

        await Probe.UntilAsync(() => HangfireJobs.ExecutionsOf(key) >= 2, Timeout,
            () => $"the recurring job ran {HangfireJobs.ExecutionsOf(key)} time(s)", ct);
        hangfire.Recurring.RemoveIfExists(recurringId);
        using var connection = hangfire.Storage.GetConnection();
        Assert.DoesNotContain(recurringId, connection.GetRecurringJobs().Select(j => j.Id));
    }

    private HangfireContext Start(CheckQueuedJobsStrategy strategy, int workers = 2)
    {
        var options = new MongoStorageOptions
        {
            CheckQueuedJobsStrategy = strategy,
            SupportsCappedCollection = false,
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
            MigrationOptions = new MongoMigrationOptions
            {
                MigrationStrategy = new MigrateMongoMigrationStrategy(),
                BackupStrategy = new NoneMongoBackupStrategy(),
            },
        };
        var storage = new MongoStorage(ServerFixture.CreateClient(server.ConnectionString), ServerFixture.UniqueDatabaseName("hangfire"), options);
        var jobServer = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = workers,
                SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
                ShutdownTimeout = TimeSpan.FromSeconds(5),
                ServerCheckInterval = TimeSpan.FromSeconds(5),
            },
            storage);
        return new HangfireContext(storage, jobServer);
    }

    private sealed class HangfireContext(MongoStorage storage, BackgroundJobServer server) : IDisposable
    {
        public MongoStorage Storage { get; } = storage;

        public BackgroundJobClient Client { get; } = new(storage);

        public RecurringJobManager Recurring { get; } = new(storage);

        public IMonitoringApi Monitoring { get; } = storage.GetMonitoringApi();

        public string? StateOf(string jobId)
        {
            using var connection = Storage.GetConnection();
            return connection.GetStateData(jobId)?.Name;
        }

        public void Dispose()
        {
            server.SendStop();
            server.Dispose();
        }
    }
}

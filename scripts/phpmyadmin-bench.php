<?php
// The benchmarks' phpMyAdmin (scripts/bench): active only in the PHP server the bench starts, which sets
// PORTAL_BENCH_PMA_PORT; then it is the only server, signed in with the portal's database account.
if (getenv('PORTAL_BENCH_PMA_PORT')) {
    $cfg['Servers'] = [1 => [
        'host' => '127.0.0.1',
        'port' => getenv('PORTAL_BENCH_PMA_PORT'),
        'connect_type' => 'tcp',
        'auth_type' => 'config',
        'user' => getenv('PORTAL_BENCH_PMA_USER'),
        'password' => getenv('PORTAL_BENCH_PMA_PASSWORD'),
    ]];
    $cfg['ServerDefault'] = 1;
    $cfg['VersionCheck'] = false;
    $cfg['SendErrorReports'] = 'never';
}

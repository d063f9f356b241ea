<?php
$out = [];
$out[] = ['format'=>'bcrypt', 'source'=>'PHP 8.2 password_hash(pw, PASSWORD_BCRYPT, cost 10) (Laravel Hash::make)', 'password'=>'Bagisto-kunde-2022!', 'hash'=>password_hash('Bagisto-kunde-2022!', PASSWORD_BCRYPT, ['cost'=>10])];
$long = str_repeat('long-password-', 6);
$out[] = ['format'=>'bcrypt', 'source'=>'PHP 8.2 password_hash of an 84-byte password (bcrypt reads 72)', 'password'=>$long, 'hash'=>password_hash($long, PASSWORD_BCRYPT, ['cost'=>4])];
$out[] = ['format'=>'argon2i', 'source'=>'PHP 8.2 password_hash(pw, PASSWORD_ARGON2I)', 'password'=>'argon2i user', 'hash'=>password_hash('argon2i user', PASSWORD_ARGON2I, ['memory_cost'=>1024,'time_cost'=>2,'threads'=>1])];
$out[] = ['format'=>'argon2id', 'source'=>'PHP 8.2 password_hash(pw, PASSWORD_ARGON2ID) (Laravel argon2id driver)', 'password'=>'argon2id user', 'hash'=>password_hash('argon2id user', PASSWORD_ARGON2ID, ['memory_cost'=>1024,'time_cost'=>2,'threads'=>1])];
$out[] = ['format'=>'bcrypt-over-bound', 'source'=>'PHP 8.2 password_hash cost 13 (refused: over the cost bound)', 'password'=>'x', 'hash'=>password_hash('x', PASSWORD_BCRYPT, ['cost'=>13])];
echo json_encode($out, JSON_PRETTY_PRINT|JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE);

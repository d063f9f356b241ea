import base64, hashlib, json, secrets
out = []
def django(pw, iterations, salt):
    h = hashlib.pbkdf2_hmac('sha256', pw.encode(), salt.encode(), iterations)
    return "%s$%d$%s$%s" % ('pbkdf2_sha256', iterations, salt, base64.b64encode(h).decode('ascii').strip())
salt = secrets.token_urlsafe(16)[:22].replace('-', 'a').replace('_', 'b')
out.append({'format': 'pbkdf2-django', 'source': "Python hashlib.pbkdf2_hmac with Django's PBKDF2PasswordHasher.encode layout (iterations 600000)", 'password': 'django user pw', 'hash': django('django user pw', 600000, salt)})
def ab64(b): return base64.b64encode(b).decode().rstrip('=').replace('+', '.')
s = secrets.token_bytes(16)
h = hashlib.pbkdf2_hmac('sha256', b'passlib user', s, 29000)
out.append({'format': 'pbkdf2-phc', 'source': "Python hashlib.pbkdf2_hmac in passlib's $pbkdf2-sha256$ layout (29000 rounds, adapted base64)", 'password': 'passlib user', 'hash': '$pbkdf2-sha256$29000$%s$%s' % (ab64(s), ab64(h))})
h = hashlib.pbkdf2_hmac('sha256', b'x', b'saltsalt', 1)
out.append({'format': 'pbkdf2-over-bound', 'source': 'Django layout with 5000000 iterations (refused)', 'password': 'x', 'hash': 'pbkdf2_sha256$5000000$saltsalt$' + base64.b64encode(h).decode()})
print(json.dumps(out, indent=1, ensure_ascii=False))

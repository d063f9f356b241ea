const bcrypt = require('bcryptjs'); const scrypt = require('scrypt-kdf');
(async () => {
  const out = [];
  for (const pw of ['Spree-shopper-2019!', 'pässwörd mit Umlauten']) {
    out.push({format: 'bcrypt', source: 'bcryptjs 2.4.3 hashSync(pw, 10) (Node; same $2a$ output as Ruby bcrypt used by Devise)', password: pw, hash: bcrypt.hashSync(pw, 10)});
  }
  const kdf = await scrypt.kdf('Medusa-shopper-2023!', {logN: 15, r: 8, p: 1});
  out.push({format: 'scrypt-kdf', source: 'scrypt-kdf 2.0.1 kdf(pw, {logN:15,r:8,p:1}) base64 (Medusa v1 password_hash / v2 emailpass provider_metadata.password)', password: 'Medusa-shopper-2023!', hash: kdf.toString('base64')});
  const kdf2 = await scrypt.kdf('another medusa pw', {logN: 10, r: 8, p: 2});
  out.push({format: 'scrypt-kdf', source: 'scrypt-kdf 2.0.1 kdf(pw, {logN:10,r:8,p:2}) base64', password: 'another medusa pw', hash: kdf2.toString('base64')});
  console.log(JSON.stringify(out, null, 1));
})();

import express, { Router, type RequestHandler } from 'express';
import {
  noQuerySchema,
  VIP_IMPORT_MAX_BYTES,
  vipEntryInputSchema,
  vipEntryListQuerySchema,
  vipImportJsonSchema,
  vipListInputSchema,
  vipListUpdateSchema,
  type VipEntryList,
  type VipImportReport,
  type VipListList,
} from '@parley/common';
import { currentUser, requireRole, requireUser } from '../http/auth.middleware';
import { Invalid, TooLarge } from '../http/errors';
import { parseInput, parseQuery } from '../http/validate';
import { presentVipEntry, presentVipList } from './vip-lists.presenter';
import {
  addVipEntry,
  createVipList,
  deleteVipList,
  importVipEntries,
  listVipEntries,
  listVipLists,
  removeVipEntry,
  updateVipList,
  type VipListsDeps,
} from './vip-lists.service';

const tooLarge = () => new TooLarge(`A VIP import is at most ${VIP_IMPORT_MAX_BYTES / 1024 / 1024} MB of CSV: split the file`);

const rawCsv = express.raw({ type: 'text/csv', limit: VIP_IMPORT_MAX_BYTES });

/** A text/csv body, as bytes; its 413 names the import's own limit. */
const csvBody: RequestHandler = (req, res, next) => {
  rawCsv(req, res, (error?: unknown) => {
    next((error as { type?: unknown } | undefined)?.type === 'entity.too.large' ? tooLarge() : error);
  });
};

/** The CSV of an import: the body itself (text/csv), or JSON {csv} within the API's body limit. */
function csvOf(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body === undefined || typeof body !== 'object') throw new Invalid('Send the CSV as the body (Content-Type: text/csv) or as JSON {"csv": "…"}', 'csv');
  const csv = Buffer.from(parseInput(vipImportJsonSchema, body).csv, 'utf8');
  if (csv.length > VIP_IMPORT_MAX_BYTES) throw tooLarge();
  return csv;
}

/** The brand's VIP and press lists: supervisors and admins keep them; triage reads them in memory (vip.ts). */
export function vipListRoutes(deps: VipListsDeps): Router {
  const router = Router();
  router.use('/vip-lists', requireUser, requireRole('supervisor', 'admin'));

  router.get('/vip-lists', async (req, res) => {
    parseQuery(noQuerySchema, req);
    const body: VipListList = { items: (await listVipLists()).map(presentVipList) };
    res.json(body);
  });
  router.post('/vip-lists', async (req, res) => {
    res.status(201).json(presentVipList(await createVipList(parseInput(vipListInputSchema, req.body), currentUser(req), deps)));
  });
  router.patch('/vip-lists/:id', async (req, res) => {
    res.json(presentVipList(await updateVipList(String(req.params.id), parseInput(vipListUpdateSchema, req.body), deps)));
  });
  router.delete('/vip-lists/:id', async (req, res) => {
    await deleteVipList(String(req.params.id), deps);
    res.status(204).end();
  });

  router.get('/vip-lists/:id/entries', async (req, res) => {
    const page = await listVipEntries(String(req.params.id), parseQuery(vipEntryListQuerySchema, req));
    const body: VipEntryList = { items: page.items.map(presentVipEntry), nextCursor: page.nextCursor };
    res.json(body);
  });
  router.post('/vip-lists/:id/entries', async (req, res) => {
    res.status(201).json(presentVipEntry(await addVipEntry(String(req.params.id), parseInput(vipEntryInputSchema, req.body), deps)));
  });
  router.delete('/vip-lists/:id/entries/:entryId', async (req, res) => {
    await removeVipEntry(String(req.params.id), String(req.params.entryId), deps);
    res.status(204).end();
  });

  router.post('/vip-lists/:id/import', csvBody, async (req, res) => {
    const body: VipImportReport = await importVipEntries(String(req.params.id), csvOf(req.body), deps);
    res.json(body);
  });
  return router;
}

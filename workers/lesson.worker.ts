/** Web Worker entry of the lesson service (see lessonService.ts). */
import * as Comlink from 'comlink';
import { createLessonService } from './lessonService';

Comlink.expose(createLessonService());
